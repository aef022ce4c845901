-- Issue 16, the access findings.
-- Two roles: 'counter' (Bürgerbüro staff who file applications for citizens of any office) and 'triage' (staff whose
-- routing decisions on the pre-sorting page train the model for any office).
alter table staff_roles drop constraint staff_roles_role_check;
alter table staff_roles add constraint staff_roles_role_check
  check (role in ('caseworker', 'team_lead', 'office_admin', 'platform_admin', 'treasury', 'counter', 'triage'));

-- Comments of a consulted (involved) office on a notice draft of the lead office, which alone edits the draft.
create table notice_draft_comments (
  id uuid primary key,
  draft_id uuid not null references notice_drafts(id) on delete cascade,
  staff_id uuid not null references staff(id),
  -- The office the author spoke for (their involved office, or the lead office).
  office_id text not null,
  body text not null,
  created_at timestamptz not null default now()
);
create index notice_draft_comments_draft on notice_draft_comments (draft_id, created_at, id);

-- Four eyes: a role an administrator asks for themself waits here until a second administrator decides.
create table staff_role_requests (
  id uuid primary key,
  staff_id uuid not null references staff(id),
  office_id text not null,
  role text not null
    check (role in ('caseworker', 'team_lead', 'office_admin', 'platform_admin', 'treasury', 'counter', 'triage')),
  requested_by uuid not null references staff(id),
  requested_at timestamptz not null default now(),
  -- Null with an outcome: decided from the server's shell (bauhaus grant-role), where the city has one admin only.
  decided_by uuid references staff(id),
  decided_at timestamptz,
  outcome text check (outcome in ('approved', 'rejected')),
  check ((outcome is null) = (decided_at is null) and (outcome is not null or decided_by is null))
);
-- One open request per person, office and role.
create unique index staff_role_requests_open on staff_role_requests (staff_id, office_id, role) where outcome is null;
