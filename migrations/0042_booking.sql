-- The booking engine (M10, M11): resources of the offices (counters, rooms, sports halls, video desks) are data
-- (services/_resources.yaml, synced here at start); slots are derived from their rules, never stored; a booking
-- holds units of its resource for a time range, and an exclusion constraint makes double booking impossible.
create extension if not exists btree_gist;

-- A copy of services/_resources.yaml's entries, for foreign keys and the staff views; the file stays the source.
create table booking_resources (
  id text primary key,
  office_id text not null references offices(id),
  kind text not null check (kind in ('counter', 'room', 'hall', 'video')),
  definition jsonb not null,
  -- a resource no longer in the file stays for its bookings but offers no slots
  active boolean not null default true
);

create table bookings (
  id uuid primary key,
  -- what the person reads and quotes: T-7K3M-Q9XD
  reference text not null unique,
  resource_id text not null references booking_resources(id),
  -- who uses the engine for it: an appointment (/termine), a facility booking (/buchung), a video consultation,
  -- a staff block; each module reads only its own
  purpose text not null check (purpose in ('appointment', 'facility', 'video', 'block')),
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  -- the units held: counters '1'..'n' of a counter, the parts of a hall ('a', 'b', 'c'), '1' of a room
  units text[] not null,
  status text not null default 'booked' check (status in ('booked', 'cancelled', 'checked_in', 'no_show', 'done')),
  -- the concern (services/_resources.yaml: concerns) or the service whose application asked for it
  concern text,
  service_id text,
  case_id uuid references cases(id) on delete set null,
  -- the person: an account, or a name and e-mail address given without one
  account_id uuid references accounts(id) on delete set null,
  person_name text,
  person_email text,
  person_phone text,
  locale text not null default 'de',
  -- hash of the secret in the link that lets the person cancel or rebook without an account
  manage_token_hash text,
  note text,
  -- the staff member who booked (blocks, moves, bookings at the counter)
  booked_by uuid references staff(id) on delete set null,
  created_at timestamptz not null,
  cancelled_at timestamptz,
  cancel_reason text,
  checked_in_at timestamptz,
  reminded_at timestamptz,
  -- several occurrences of one recurring booking (a club's weekly slot for a season)
  series_id uuid,
  -- what the booking costs (facilities); null: nothing
  fee_cents integer check (fee_cents >= 0),
  check ((status = 'cancelled') = (cancelled_at is not null))
);
create index bookings_resource_time on bookings (resource_id, starts_at);
create index bookings_account on bookings (account_id) where account_id is not null;
create index bookings_case on bookings (case_id) where case_id is not null;
create index bookings_series on bookings (series_id) where series_id is not null;
create index bookings_reminders on bookings (starts_at) where status = 'booked' and reminded_at is null;

-- The units a live booking holds, with its buffer; a cancelled booking's rows are deleted. No two rows of one unit of
-- one resource overlap: concurrent bookings of the last free unit cannot both commit.
create table booking_occupancy (
  booking_id uuid not null references bookings(id) on delete cascade,
  resource_id text not null,
  unit text not null,
  during tstzrange not null,
  primary key (booking_id, unit),
  constraint booking_occupancy_no_overlap exclude using gist (resource_id with =, unit with =, during with &&)
);

-- People waiting for a time at a resource on a day (or any day up to a date) for a concern; offered a freed slot in
-- the order they asked.
create table booking_waitlist (
  id uuid primary key,
  resource_id text not null references booking_resources(id),
  concern text,
  first_day date not null,
  last_day date not null check (last_day >= first_day),
  account_id uuid references accounts(id) on delete cascade,
  person_name text,
  person_email text not null,
  locale text not null default 'de',
  created_at timestamptz not null,
  -- when the last offer was sent, and which booking ended the wait
  offered_at timestamptz,
  fulfilled_booking_id uuid references bookings(id) on delete set null,
  withdrawn_at timestamptz,
  token_hash text not null
);
create index booking_waitlist_open on booking_waitlist (resource_id, created_at)
  where fulfilled_booking_id is null and withdrawn_at is null;
