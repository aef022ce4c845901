-- Reminders and escalations the deadline sweep sent: one of each kind per case and deadline, however often it runs.
create table deadline_alerts (
  case_id uuid not null references cases(id) on delete cascade,
  kind text not null check (kind in ('reminder', 'escalation')),
  due_at timestamptz not null,
  sent_at timestamptz not null default now(),
  primary key (case_id, kind, due_at)
);
-- The sweep looks only at cases whose deadline is near or past.
create index cases_due on cases (due_at) where due_at is not null;
