-- Sessions end after a while without requests (idle timeout) as well as at their absolute end (expires_at).
alter table sessions add column last_seen_at timestamptz not null default now();
create index sessions_last_seen_at on sessions (last_seen_at);

-- A browser nobody signed in with needs no row any more (its CSRF token derives from its cookie).
delete from sessions where account_id is null and staff_id is null;

-- A form posted after its session had expired: kept briefly for the browser that sent it, so that after signing in
-- again the person can send it once more instead of typing it again (files are asked for again).
create table session_resumes (
  id uuid primary key,
  browser_hash text not null,
  account_id uuid references accounts(id) on delete cascade,
  staff_id uuid references staff(id) on delete cascade,
  action text not null,
  multipart boolean not null,
  fields jsonb not null,
  files_dropped integer not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index session_resumes_expires_at on session_resumes (expires_at);
create index session_resumes_browser_hash on session_resumes (browser_hash);
