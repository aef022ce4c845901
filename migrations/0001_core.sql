-- Core tables of the platform: offices, people, sessions, services, drafts, cases, postbox, audit.
create extension if not exists pg_trgm;

create table offices (
  id text primary key,
  name_de text not null,
  name_en text not null
);

create table staff (
  id uuid primary key,
  email text not null unique,
  name text not null,
  password_hash text not null,
  created_at timestamptz not null default now()
);

-- A person may hold several roles, each in one office.
create table staff_roles (
  staff_id uuid not null references staff(id) on delete cascade,
  office_id text not null references offices(id),
  role text not null check (role in ('caseworker', 'team_lead', 'office_admin', 'platform_admin')),
  primary key (staff_id, office_id, role)
);

create table accounts (
  id uuid primary key,
  kind text not null check (kind in ('citizen', 'business')),
  email text not null unique,
  password_hash text not null,
  email_verified_at timestamptz,
  locale text not null default 'de',
  given_name text,
  family_name text,
  birth_date date,
  company_name text,
  street text,
  house_number text,
  postal_code text,
  city text,
  phone text,
  created_at timestamptz not null default now()
);

-- One row per browser session; the cookie holds a random token, the table only its hash.
create table sessions (
  id_hash text primary key,
  account_id uuid references accounts(id) on delete cascade,
  staff_id uuid references staff(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_expires_at on sessions (expires_at);

create table account_tokens (
  token_hash text primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  purpose text not null check (purpose in ('verify_email', 'reset_password')),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table mail_outbox (
  id uuid primary key,
  recipient text not null,
  subject text not null,
  body_text text not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);

-- Every version of every definition ever loaded; a case points at the one it was made with.
create table service_versions (
  service_id text not null,
  version integer not null,
  definition jsonb not null,
  content_hash text not null,
  loaded_at timestamptz not null default now(),
  primary key (service_id, version)
);

create table catalogue_entries (
  service_id text primary key,
  current_version integer not null,
  office_id text not null,
  audience text[] not null,
  life_situations text[] not null,
  title_de text not null,
  title_en text not null,
  search_de tsvector not null,
  search_en tsvector not null,
  search_text text not null
);
create index catalogue_search_de on catalogue_entries using gin (search_de);
create index catalogue_search_en on catalogue_entries using gin (search_en);
create index catalogue_search_trgm on catalogue_entries using gin (search_text gin_trgm_ops);

create table drafts (
  id uuid primary key,
  service_id text not null,
  service_version integer not null,
  session_hash text,
  account_id uuid references accounts(id) on delete cascade,
  filed_by_staff_id uuid references staff(id),
  answers jsonb not null default '{}'::jsonb,
  -- Set once submitted; the row stays so the confirmation page and a repeated submit find the case.
  case_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index drafts_account on drafts (account_id);
create index drafts_session on drafts (session_hash);

create sequence case_reference_seq;

create table cases (
  id uuid primary key,
  reference text not null unique,
  -- The draft a case came from: a second submit of the same draft finds this row instead of adding one.
  draft_id uuid not null unique,
  service_id text not null,
  service_version integer not null,
  office_id text not null references offices(id),
  account_id uuid references accounts(id),
  filed_by_staff_id uuid references staff(id),
  applicant_name text not null,
  applicant_email text,
  answers jsonb not null,
  status text not null,
  assignee_id uuid references staff(id),
  submitted_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  due_at timestamptz,
  retain_until date not null,
  locale text not null default 'de'
);
create index cases_inbox on cases (office_id, submitted_at desc, id desc);
create index cases_account on cases (account_id, submitted_at desc);
create index cases_assignee on cases (assignee_id);

create table case_events (
  id bigserial primary key,
  case_id uuid not null references cases(id) on delete cascade,
  at timestamptz not null default now(),
  kind text not null,
  actor_staff_id uuid references staff(id),
  actor_account_id uuid references accounts(id),
  -- Internal entries (notes, assignment) are shown to staff only.
  internal boolean not null default false,
  data jsonb not null default '{}'::jsonb
);
create index case_events_case on case_events (case_id, id);

create table files (
  id uuid primary key,
  draft_id uuid references drafts(id) on delete set null,
  case_id uuid references cases(id) on delete cascade,
  filename text not null,
  media_type text not null,
  size_bytes integer not null,
  sha256 text not null,
  content bytea not null,
  uploaded_by_account_id uuid references accounts(id),
  uploaded_by_staff_id uuid references staff(id),
  session_hash text,
  created_at timestamptz not null default now()
);
create index files_case on files (case_id);
create index files_draft on files (draft_id);

create table messages (
  id uuid primary key,
  case_id uuid not null references cases(id) on delete cascade,
  account_id uuid references accounts(id),
  direction text not null check (direction in ('to_applicant', 'from_applicant')),
  sender_staff_id uuid references staff(id),
  subject text not null,
  body text not null,
  requests_documents boolean not null default false,
  documents_provided_at timestamptz,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index messages_account on messages (account_id, created_at desc);
create index messages_case on messages (case_id, created_at);

create table message_files (
  message_id uuid not null references messages(id) on delete cascade,
  file_id uuid not null references files(id) on delete cascade,
  primary key (message_id, file_id)
);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_staff_id uuid,
  actor_account_id uuid,
  action text not null,
  subject_type text not null,
  subject_id text not null,
  office_id text,
  details jsonb not null default '{}'::jsonb
);
create index audit_subject on audit_log (subject_type, subject_id);
