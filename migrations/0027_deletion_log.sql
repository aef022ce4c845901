-- What was deleted or anonymised, when and why, without any personal data (Art. 5 (2) DSGVO accountability):
-- the retention run, an account's erasure and an archive's hand-over each write one row per kind of record.
create table deletion_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  -- why: 'retention', 'account-erasure', 'archive-transfer'
  reason text not null,
  -- what kind of record: 'case', 'file', 'draft', 'mail', 'session', 'idempotency-key', 'audit', 'account', …
  subject_type text not null,
  -- deleted or anonymised
  outcome text not null check (outcome in ('deleted', 'anonymised')),
  count integer not null check (count >= 0),
  -- only non-personal context: service id, office id, year of closure, retention rule
  details jsonb not null default '{}'
);
create index deletion_log_at on deletion_log (at);
