-- The inbox over a million cases: every filter has an index in the inbox's own order (newest first, keyset on
-- (submitted_at, id)), so a page reads about 51 index entries at any depth instead of walking the office's whole
-- list past the cases the filter drops. cases_inbox (0001) serves the inbox without a filter.
create index cases_inbox_status on cases (office_id, status, submitted_at desc, id desc);
create index cases_inbox_service on cases (office_id, service_id, submitted_at desc, id desc);
create index cases_inbox_unassigned on cases (office_id, submitted_at desc, id desc) where assignee_id is null;
-- "Mine": a person's cases in the office, newest first; it also serves every lookup by assignee (the foreign key
-- from staff) that the single-column index it replaces served.
create index cases_inbox_assignee on cases (assignee_id, office_id, submitted_at desc, id desc);
drop index cases_assignee;
