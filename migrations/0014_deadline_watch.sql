-- What the deadline sweep still owes a case for its current deadline: a reminder, then an escalation, then
-- nothing. The sweep reads only rows that owe something, through a partial index, so its cost follows the cases
-- that need attention, not every open or long-closed case with a passed deadline.
alter table cases add column next_alert text check (next_alert in ('reminder', 'escalation'));

update cases c set next_alert = case
  when c.due_at is null then null
  when exists (select 1 from deadline_alerts a where a.case_id = c.id and a.due_at = c.due_at and a.kind = 'escalation') then null
  when exists (select 1 from deadline_alerts a where a.case_id = c.id and a.due_at = c.due_at and a.kind = 'reminder') then 'escalation'
  else 'reminder'
end;

create index cases_next_alert on cases (due_at) where next_alert is not null and clock_stopped_at is null;
