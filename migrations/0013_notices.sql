-- Notices (Bescheide) drafted on a case from a template of the service, edited together (Yjs), then signed and sent.
create table notice_drafts (
  id uuid primary key,
  case_id uuid not null references cases(id) on delete cascade,
  template_id text not null,
  locale text not null check (locale in ('de', 'en')),
  title text not null,
  status text not null default 'draft' check (status in ('draft', 'signed', 'discarded')),
  -- The text as it stands (a snapshot of the Yjs document), for the no-JavaScript form, the PDF and search.
  body text not null,
  -- The authoritative Yjs document: encodeStateAsUpdate of the server's copy.
  yjs_state bytea not null,
  -- Raised by every change; a form saved on an older version is a conflict.
  version integer not null default 1,
  -- The newest row of notice_draft_updates, read together with the state so a client knows where to go on.
  last_update_id bigint not null default 0,
  created_by uuid not null references staff(id),
  created_at timestamptz not null default now(),
  updated_by uuid references staff(id),
  updated_at timestamptz not null default now(),
  signed_by uuid references staff(id),
  signed_at timestamptz,
  file_id uuid references files(id),
  message_id uuid references messages(id),
  -- The e-file's document (another module's table, so no foreign key).
  document_id text
);
create index notice_drafts_case on notice_drafts (case_id, created_at);

-- Each change as a Yjs update, so editors in any process catch up by id (NOTIFY carries only small ones).
create table notice_draft_updates (
  id bigserial primary key,
  draft_id uuid not null references notice_drafts(id) on delete cascade,
  payload bytea not null,
  staff_id uuid references staff(id),
  created_at timestamptz not null default now()
);
create index notice_draft_updates_draft on notice_draft_updates (draft_id, id);
