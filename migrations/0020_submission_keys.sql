-- Idempotency keys of submissions through the API (POST /api/v1/services/:id/applications). A client that retries
-- after a timeout, a lost answer or a crash of the app sends the same key and gets the case made the first time,
-- never a second one. The key names the draft the case was made from (cases.draft_id is unique); the request's
-- SHA-256 tells a retry from a different submission that reuses a key by mistake.
create table submission_keys (
  idempotency_key text primary key check (length(idempotency_key) between 1 and 200),
  service_id text not null,
  request_sha256 text not null,
  draft_id uuid not null unique,
  created_at timestamptz not null default now()
);

-- The receipt mail of every submission checks the recipient's hourly quota (hasMailQuota) first.
create index mail_outbox_recipient on mail_outbox (recipient, created_at);
