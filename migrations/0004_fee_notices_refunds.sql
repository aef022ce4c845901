-- Fees charged after submission (fee notices, also per period for market stalls), refunds, and what the
-- provider last said of each payment (reconciliation). Amounts are whole cents.

-- A fee notice (Gebührenbescheid): what a case owes, issued by the office, payable online from the postbox.
create table fee_notices (
  id uuid primary key,
  -- The cash reference (Kassenzeichen) the payer and the treasury see.
  number text not null unique,
  case_id uuid not null references cases(id),
  service_id text not null,
  office_id text not null references offices(id),
  -- Who may pay it online (the applicant's account); null: payable only by transfer or at the counter.
  account_id uuid references accounts(id) on delete set null,
  lines jsonb not null,
  amount_cents integer not null check (amount_cents > 0),
  currency text not null default 'EUR' check (currency = 'EUR'),
  due_on date not null,
  -- A recurring fee (market stall) covers one period; one notice per case and period.
  period_start date,
  period_end date,
  status text not null default 'open' check (status in ('open', 'paid', 'cancelled')),
  issued_by_staff_id uuid references staff(id),
  locale text not null default 'de',
  file_id uuid references files(id),
  message_id uuid references messages(id),
  created_at timestamptz not null default now(),
  paid_at timestamptz,
  check ((period_start is null) = (period_end is null))
);
create index fee_notices_case on fee_notices (case_id, created_at);
create index fee_notices_account on fee_notices (account_id, created_at desc);
create unique index fee_notices_period on fee_notices (case_id, period_start) where period_start is not null;

alter table payments add column fee_notice_id uuid references fee_notices(id);
create index payments_fee_notice on payments (fee_notice_id, created_at);
-- What the provider reported when last asked (reconciliation), to show discrepancies.
alter table payments add column provider_status text;
alter table payments add column provider_checked_at timestamptz;
-- Sum of succeeded refunds; the payment is 'refunded' once it equals the amount.
alter table payments add column refunded_cents integer not null default 0;
alter table payments add constraint payments_refund_bound check (refunded_cents >= 0 and refunded_cents <= amount_cents);
create index payments_status_created on payments (status, created_at desc);
-- The receipt sent for a paid payment: set in the transaction that sends it, so a retried job sends none twice.
alter table payments add column receipt_file_id uuid references files(id);

create table payment_refunds (
  id uuid primary key,
  payment_id uuid not null references payments(id),
  amount_cents integer not null check (amount_cents > 0),
  reason text not null,
  status text not null check (status in ('pending', 'succeeded', 'failed')),
  provider_refund_id text,
  staff_id uuid references staff(id),
  created_at timestamptz not null default now()
);
create index payment_refunds_payment on payment_refunds (payment_id, created_at);

-- The sandbox provider's own book of refunds; its idempotency key makes a retried call a no-op, as at a real provider.
create table sandbox_provider_refunds (
  id uuid primary key,
  payment_id uuid not null references sandbox_provider_payments(id),
  amount_cents integer not null check (amount_cents > 0),
  idempotency_key text not null unique,
  created_at timestamptz not null default now()
);
