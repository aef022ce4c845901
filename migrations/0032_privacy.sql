-- Consents a person gave (Art. 7 DSGVO: provable, withdrawable) and the exports of "Meine Daten" (Art. 15/20).

-- One row per consent given; withdrawing sets withdrawn_at, giving it again adds a new row.
create table consents (
  id uuid primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  -- 'email-notices', 'report-following', 'personalised-suggestions'
  kind text not null,
  -- what the consent is about, where there can be several of a kind: the report's reference for 'report-following'
  subject_ref text,
  -- the version of the text the person agreed to (the texts themselves are in the privacy module's locales)
  text_version text not null,
  given_at timestamptz not null,
  withdrawn_at timestamptz
);
create index consents_account on consents (account_id, kind);

-- Accounts from before this migration agreed to e-mail notices by registering: the registration page said so.
insert into consents (id, account_id, kind, text_version, given_at)
select gen_random_uuid(), id, 'email-notices', 'registration-2025', created_at from accounts;

-- An export of everything held about an account: prepared by a job, downloadable for a limited time, then deleted.
create table privacy_exports (
  id uuid primary key,
  account_id uuid not null references accounts(id) on delete cascade,
  -- set when staff prepared it for a request received on paper; only they may download it then
  requested_by_staff_id uuid references staff(id) on delete set null,
  status text not null default 'queued' check (status in ('queued', 'ready', 'failed', 'expired')),
  locale text not null,
  requested_at timestamptz not null,
  ready_at timestamptz,
  expires_at timestamptz,
  size_bytes integer,
  content bytea
);
create index privacy_exports_account on privacy_exports (account_id, requested_at);
create index privacy_exports_expiry on privacy_exports (expires_at) where content is not null;

-- A filed version stays as it was, except that an account's erasure may remove the link to the account
-- (the document itself is kept with its case; docs/privacy.md).
create or replace function efile_guard_version_update() returns trigger language plpgsql as $$
begin
  if new.document_id <> old.document_id or new.version <> old.version or new.title <> old.title
     or new.text_content is distinct from old.text_content or new.file_id is distinct from old.file_id
     or new.search_config <> old.search_config or new.created_at <> old.created_at
     or new.created_by_staff_id is distinct from old.created_by_staff_id
     or (new.created_by_account_id is distinct from old.created_by_account_id
         and new.created_by_account_id is not null) then
    raise exception 'version % of document % is on record and cannot be changed; file a new version', old.version, old.document_id
      using errcode = 'restrict_violation';
  end if;
  return new;
end $$;
