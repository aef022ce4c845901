-- OpenID Connect sign-in (issue 17): what a sign-in keeps between sending the browser to the provider and its
-- answer, what a signed-in session needs for the provider's logout, and the logout tokens already used.

-- One row per sign-in under way; the state is known only to the browser (its hash is the key), bound to the browser's
-- session, used once (deleted when the answer arrives) and valid for a few minutes.
create table oidc_sign_ins (
  state_hash text primary key,
  browser_hash text not null,
  provider_id text not null,
  code_verifier text not null,
  nonce text not null,
  -- { returnTo, assurance?, link }
  intent jsonb not null,
  expires_at timestamptz not null
);
create index oidc_sign_ins_expiry on oidc_sign_ins (expires_at);

-- Per provider session ("sid", or one of ours when the provider sends none): the ID token, sent back as
-- id_token_hint when the person signs out here (RP-initiated logout). Deleted with the session's end.
create table oidc_logins (
  provider_id text not null,
  provider_session text not null,
  account_id uuid not null references accounts(id) on delete cascade,
  id_token text not null,
  expires_at timestamptz not null,
  primary key (provider_id, provider_session)
);
create index oidc_logins_account on oidc_logins (account_id);

-- Back-channel logout tokens seen (their jti), so that a replayed one is refused.
create table oidc_logout_tokens (
  provider_id text not null,
  jti text not null,
  expires_at timestamptz not null,
  primary key (provider_id, jti)
);
