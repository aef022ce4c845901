-- Facility booking (M10, docs/facilities.md): clubs as business accounts, single bookings of halls and rooms with
-- their fee and exemption claim, seasons of weekly slots applied for by clubs and allocated by the sports office,
-- and closures of a hall added later. Times themselves are held by the booking engine (bookings, migration 0042).

-- What a business account is when it books halls: a club, a school or a company, with its size and register number.
create table organisation_profiles (
  account_id uuid primary key references accounts(id) on delete cascade,
  organisation_type text not null check (organisation_type in ('club', 'school', 'company')),
  -- members of a club: the allocation ranks clubs by it
  member_count integer check (member_count >= 0),
  -- the club's entry in the register of associations (VR 1234)
  register_number text
);

-- The facility side of an engine booking: who booked it for whom, and the exemption claimed with its decision.
create table facility_bookings (
  booking_id uuid primary key references bookings(id) on delete cascade,
  -- the member who booked; bookings.account_id is the club (or the person booking for themselves)
  booked_by_account_id uuid references accounts(id) on delete set null,
  purpose_text text not null,
  -- the fee before any exemption, in cents (hours x price per hour x share of the parts)
  fee_cents integer not null check (fee_cents >= 0),
  exemption text check (exemption in ('school', 'youth', 'non-profit')),
  exemption_statement text,
  register_number text,
  exemption_status text check (exemption_status in ('claimed', 'confirmed', 'rejected')),
  decided_by uuid references staff(id) on delete set null,
  decided_at timestamptz
);

-- A season of the seasonal allocation: weekly slots from first_day to last_day, without the days listed (school
-- holidays, closures known in advance).
create table facility_seasons (
  id uuid primary key,
  name text not null,
  first_day date not null,
  last_day date not null check (last_day >= first_day),
  excluded_days text[] not null default '{}',
  created_at timestamptz not null,
  created_by uuid references staff(id) on delete set null
);

-- A club's application for a weekly slot of a season; the sports office allocates or declines it and publishes.
create table facility_applications (
  id uuid primary key,
  season_id uuid not null references facility_seasons(id) on delete cascade,
  club_account_id uuid not null references accounts(id) on delete cascade,
  applied_by_account_id uuid references accounts(id) on delete set null,
  resource_id text not null references booking_resources(id),
  parts text[] not null,
  -- 1 = Monday … 7 = Sunday
  weekday smallint not null check (weekday between 1 and 7),
  start_minute integer not null check (start_minute between 0 and 1439),
  minutes integer not null check (minutes > 0),
  -- the priority group: school sport first, then youth, then clubs by members
  group_kind text not null check (group_kind in ('school', 'youth', 'club')),
  note text,
  status text not null default 'applied' check (status in ('applied', 'allocated', 'declined', 'published')),
  decided_by uuid references staff(id) on delete set null,
  -- the engine's series of the published occurrences
  series_id uuid,
  created_at timestamptz not null
);
create index facility_applications_season on facility_applications (season_id, resource_id);
create index facility_applications_club on facility_applications (club_account_id);

-- A hall closed on days added later (repairs, an event): its bookings there are cancelled with a notice.
create table facility_closures (
  id uuid primary key,
  resource_id text not null references booking_resources(id),
  first_day date not null,
  last_day date not null check (last_day >= first_day),
  reason text not null,
  created_by uuid references staff(id) on delete set null,
  created_at timestamptz not null
);
create index facility_closures_resource on facility_closures (resource_id, first_day);
