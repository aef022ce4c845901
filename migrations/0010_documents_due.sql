-- The day by which the applicant should send documents the office asked for, and when they were reminded of it.
alter table messages add column documents_due_on date;
alter table messages add column documents_reminded_at timestamptz;
create index messages_documents_due on messages (documents_due_on) where documents_due_on is not null and documents_provided_at is null;
