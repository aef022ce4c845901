-- ePayment: what the city asked to be paid, what providers reported, and the built-in sandbox provider's own book.
-- Amounts are whole cents (integer), never floating point.
create table payments (
  id uuid primary key,
  -- What the provider and the treasury see; unique across all providers.
  reference text not null unique,
  service_id text not null,
  office_id text not null references offices(id),
  draft_id uuid references drafts(id) on delete set null,
  case_id uuid references cases(id) on delete set null,
  account_id uuid references accounts(id) on delete set null,
  amount_cents integer not null check (amount_cents > 0),
  currency text not null default 'EUR' check (currency = 'EUR'),
  status text not null default 'open' check (status in ('open', 'pending', 'paid', 'failed', 'cancelled', 'refunded')),
  description text not null,
  provider text not null,
  provider_payment_id text,
  redirect_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  paid_at timestamptz
);
create unique index payments_provider_payment on payments (provider, provider_payment_id);
create index payments_draft on payments (draft_id, created_at);
create index payments_case on payments (case_id);

-- Every notification or redirect a provider sent, verified or not. A verified event's id is unique per
-- provider, so a notification delivered twice is booked once; refused ones keep no id and block nothing.
create table payment_events (
  id bigserial primary key,
  payment_id uuid references payments(id) on delete cascade,
  provider text not null,
  provider_event_id text,
  verified boolean not null,
  outcome text not null,
  reported_status text,
  raw text not null,
  received_at timestamptz not null default now(),
  unique (provider, provider_event_id)
);
create index payment_events_payment on payment_events (payment_id, id);

-- The sandbox provider's own record of the payments it was asked to take (as a real provider keeps them).
create table sandbox_provider_payments (
  id uuid primary key,
  reference text not null,
  amount_cents integer not null check (amount_cents > 0),
  currency text not null,
  description text not null,
  return_url text not null,
  notify_url text not null,
  status text not null default 'open' check (status in ('open', 'paid', 'failed', 'cancelled')),
  method text,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
