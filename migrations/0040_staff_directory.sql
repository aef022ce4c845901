-- Staff single sign-on through the city's directory (issue 17): which directory identity is which staff member, and
-- the sign-ins under way (state, nonce and PKCE verifier stay on the server).

-- One row per directory identity; a staff member has one at most. The refresh token (encrypted with
-- STAFF_DIRECTORY_TOKEN_KEY) lets the periodic check ask the directory whether the person may still work here.
create table staff_directory_identities (
  issuer text not null,
  subject text not null,
  staff_id uuid not null unique references staff(id) on delete cascade,
  refresh_token text,
  linked_at timestamptz not null,
  last_synced_at timestamptz not null,
  -- set when the directory disabled the person or took every mapped group away; cleared at their next sign-in
  deprovisioned_at timestamptz,
  primary key (issuer, subject)
);

-- A sign-in sent to the directory and not yet back: found by the hash of its state, bound to the browser's session.
create table staff_directory_sign_ins (
  state_hash text primary key,
  session_hash text not null,
  code_verifier text not null,
  nonce text not null,
  return_to text,
  started_at timestamptz not null
);
create index staff_directory_sign_ins_started on staff_directory_sign_ins (started_at);
