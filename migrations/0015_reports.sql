-- Defect reports (Mängelmelder): a report is a case of the report service; this is what a case does not hold.

create table reports (
  id uuid primary key,
  case_id uuid not null unique references cases(id) on delete cascade,
  -- The category's code (Open311 service_code) from the report service's definition; may be changed by the office.
  category_code text not null,
  description text not null,
  lat double precision,
  lon double precision,
  -- A cell of about 100 m × 100 m (see reports.grid.ts): "near" looks at a few cells through the index, never at all rows.
  grid_cell bigint,
  address text,
  -- open until the case reaches a final state; closed_at says when (the public list shows "recently fixed").
  public_status text not null default 'open' check (public_status in ('open', 'closed')),
  -- The workflow state the case is in, mirrored so the public list needs no workflow.
  state text not null,
  closed_at timestamptz,
  -- Exact place and photos never shown publicly (the category says so).
  sensitive boolean not null default false,
  -- A caseworker looked at the photos (no faces, no number plates): only then are they public.
  photos_reviewed_at timestamptz,
  photos_reviewed_by uuid references staff(id),
  -- The reporter agreed to keep the location data (EXIF/GPS) of their photos.
  photo_metadata_kept boolean not null default false,
  contact_name text,
  contact_email text,
  contact_phone text,
  account_id uuid references accounts(id),
  locale text not null default 'de',
  source text not null check (source in ('web', 'open311')),
  -- The Open311 client that filed it (its key's id, migration 0017); null from the web form.
  api_key_id uuid,
  -- A retried submission (double click, client retry) finds the report made by the first.
  idempotency_key text,
  -- The office confirmed or changed the suggested category.
  category_confirmed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index reports_near on reports (category_code, grid_cell) where public_status = 'open';
create index reports_public on reports (public_status, created_at desc);
create index reports_closed on reports (closed_at desc) where public_status = 'closed';
create unique index reports_idempotency on reports (source, coalesce(api_key_id::text, ''), idempotency_key) where idempotency_key is not null;

-- The photos of a report, in the order given; each is a stored file of the case.
create table report_photos (
  report_id uuid not null references reports(id) on delete cascade,
  position integer not null,
  file_id uuid not null references files(id),
  primary key (report_id, position)
);

-- People who follow a report ("already reported — follow this one instead") get its status messages too.
create table report_followers (
  id uuid primary key,
  report_id uuid not null references reports(id) on delete cascade,
  account_id uuid references accounts(id),
  email text,
  locale text not null default 'de',
  -- Lets a follower stop the mails from the link in each of them, without an account. It can do nothing else,
  -- so it is kept as it is (every mail must carry it).
  unsubscribe_token text not null unique,
  created_at timestamptz not null default now(),
  check (account_id is not null or email is not null)
);
create unique index report_followers_account on report_followers (report_id, account_id) where account_id is not null;
create unique index report_followers_email on report_followers (report_id, lower(email)) where email is not null;

-- Submissions per client (IP address, account) and fixed window, shared by every app process.
create table report_rate_limits (
  client_key text not null,
  window_start timestamptz not null,
  count integer not null,
  primary key (client_key, window_start)
);
create index report_rate_limits_window on report_rate_limits (window_start);
