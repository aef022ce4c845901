-- Offices working together on a case (Beteiligung), and versioned writes on cases.

-- Every change of a case raises its version. A form sends the version it was rendered from; a stale one is refused
-- (409), so two people never silently overwrite each other.
alter table cases add column version integer not null default 1;
-- The case version a timeline entry made, so a refused change can say what happened since the page was loaded.
alter table case_events add column case_version integer;

-- The lead office (the case's office) asks another office for a statement by a due day; the other office answers
-- with a text and documents. While an involvement is not withdrawn, caseworkers of that office may read the case.
create table case_involvements (
  id uuid primary key,
  case_id uuid not null references cases(id) on delete cascade,
  office_id text not null references offices(id),
  task text not null,
  due_on date not null,
  status text not null default 'requested' check (status in ('requested', 'answered', 'withdrawn')),
  requested_by_staff_id uuid references staff(id),
  requested_at timestamptz not null default now(),
  -- The statement: saved as a draft (seen only by the involved office) until it is answered.
  statement text not null default '',
  statement_saved_by_staff_id uuid references staff(id),
  statement_saved_at timestamptz,
  answered_by_staff_id uuid references staff(id),
  answered_at timestamptz,
  withdrawn_by_staff_id uuid references staff(id),
  withdrawn_at timestamptz,
  -- The overdue statement was brought to the involved office's team leads (once).
  reminded_at timestamptz,
  -- Raised by every save of the statement: two people of the involved office editing it never overwrite each other.
  version integer not null default 1
);
-- One open request per case and office; once answered or withdrawn, a new one may be made.
create unique index case_involvements_open on case_involvements (case_id, office_id) where status = 'requested';
create index case_involvements_case on case_involvements (case_id);
create index case_involvements_office on case_involvements (office_id, status, due_on);

create table case_involvement_files (
  involvement_id uuid not null references case_involvements(id) on delete cascade,
  file_id uuid not null references files(id) on delete cascade,
  primary key (involvement_id, file_id)
);
