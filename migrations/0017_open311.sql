-- Keys of the Open311 GeoReport v2 clients (apps that report into the city). Only the SHA-256 of a key is kept;
-- the key itself is shown once, when a platform admin creates it. A revoked key stays for the audit trail.
create table open311_api_keys (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  key_hash text not null unique,
  -- The first characters of the key, so an admin recognises which key a client holds without the key itself.
  key_prefix text not null,
  created_by uuid not null references staff (id),
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by uuid references staff (id),
  last_used_at timestamptz
);
