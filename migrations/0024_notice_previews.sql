-- Who saw the PDF preview of which version of a notice draft: a notice is signed only by someone who saw
-- exactly the text they sign.
create table notice_previews (
  draft_id uuid not null references notice_drafts(id) on delete cascade,
  staff_id uuid not null references staff(id),
  version integer not null,
  previewed_at timestamptz not null default now(),
  primary key (draft_id, staff_id, version)
);
