-- The proactive account (M8): suggestions a person dismissed. The suggestions themselves are computed on each visit
-- from the person's own cases and services/_life-events.yaml; only the "not for me" is stored.
create table suggestion_dismissals (
  account_id uuid not null references accounts(id) on delete cascade,
  -- the rule's id in services/_life-events.yaml
  rule_id text not null,
  -- the case the suggestion came from: a later event of the same kind suggests again
  event_case_id uuid not null references cases(id) on delete cascade,
  dismissed_at timestamptz not null,
  primary key (account_id, rule_id, event_case_id)
);
