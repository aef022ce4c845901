-- Failed sign-ins per account name, to slow down password guessing (kept for the throttle window only).
create table failed_logins (
  login_key text not null,
  at timestamptz not null default now()
);
create index failed_logins_key_at on failed_logins (login_key, at);
