-- Trusted identity (issue 17): identities that outside providers vouch for (BundID, Mein Unternehmenskonto, any
-- OpenID Connect or SAML provider), linked to accounts, and the level of assurance each session was signed in with.

-- One row per provider identity; a provider's subject belongs to one account at most, so a second account with the
-- same verified identity cannot be made.
create table account_identities (
  provider_id text not null,
  subject text not null,
  account_id uuid not null references accounts(id) on delete cascade,
  -- the highest level this identity was last signed in with (eIDAS: low, substantial, high)
  assurance text not null check (assurance in ('low', 'substantial', 'high')),
  linked_at timestamptz not null,
  last_used_at timestamptz not null,
  primary key (provider_id, subject)
);
create index account_identities_account on account_identities (account_id);

-- Which profile fields a provider vouched for: { "<field>": { "provider": "<id>", "at": "<iso time>" } }. A field not
-- named here was entered by the person. Verified fields are not editable by hand.
alter table accounts add column verified_fields jsonb not null default '{}';

-- How the session was signed in: the level of assurance and, for a provider sign-in, the provider and its session
-- (OIDC "sid", SAML SessionIndex) so that the provider's logout can end it.
alter table sessions add column assurance text not null default 'low' check (assurance in ('low', 'substantial', 'high'));
alter table sessions add column identity_provider text;
alter table sessions add column provider_session text;
create index sessions_provider_session on sessions (identity_provider, provider_session) where provider_session is not null;
