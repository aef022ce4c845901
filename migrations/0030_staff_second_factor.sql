-- A second factor for staff sign-in: an authenticator app (TOTP), passkeys (WebAuthn) and single-use recovery codes.

-- One authenticator app per person. confirmed_at stays null until a first code proves the app holds the secret;
-- last_time_step is the newest 30-second step a code was accepted for, so no code counts twice.
create table staff_totp (
  staff_id uuid primary key references staff(id) on delete cascade,
  secret text not null,
  confirmed_at timestamptz,
  last_time_step bigint not null default 0,
  created_at timestamptz not null default now()
);

-- Only the SHA-256 of each code is kept: the codes are random (50 bits), so no slow hash is needed.
create table staff_recovery_codes (
  code_hash text primary key,
  staff_id uuid not null references staff(id) on delete cascade,
  used_at timestamptz
);
create index staff_recovery_codes_staff on staff_recovery_codes (staff_id);

create table staff_passkeys (
  credential_id text primary key,
  staff_id uuid not null references staff(id) on delete cascade,
  public_key bytea not null,
  sign_count bigint not null default 0,
  transports text not null default '',
  name text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz
);
create index staff_passkeys_staff on staff_passkeys (staff_id);

-- The half-signed-in state: the password was right, the second factor is still due. The session itself stays
-- anonymous (no staff_id) until the factor is shown, so this row opens nothing but the second step.
create table staff_pending_sign_ins (
  session_hash text primary key,
  staff_id uuid not null references staff(id) on delete cascade,
  return_to text,
  failed_attempts integer not null default 0,
  started_at timestamptz not null
);

-- The WebAuthn challenge a session was last given, per purpose; a ceremony answers it once.
create table staff_webauthn_challenges (
  session_hash text not null,
  purpose text not null check (purpose in ('register', 'authenticate')),
  challenge text not null,
  created_at timestamptz not null,
  primary key (session_hash, purpose)
);
