-- Files sent with a mail: the PDF notice or receipt for an applicant without an account, who has no postbox.
create table mail_attachments (
  mail_id uuid not null references mail_outbox(id) on delete cascade,
  file_id uuid not null references files(id) on delete cascade,
  primary key (mail_id, file_id)
);
