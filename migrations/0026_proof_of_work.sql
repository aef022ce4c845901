-- Bot protection of anonymous submissions (src/platform/http/proof-of-work.ts).
-- A solved proof-of-work challenge counts once: its signature is kept until the challenge expires.
create table pow_solutions_used (
  signature text primary key,
  expires_at timestamptz not null
);
create index pow_solutions_used_expiry on pow_solutions_used (expires_at);

-- Submissions without a solved challenge (no JavaScript), counted per hashed address and hour under a stricter limit.
create table unverified_submissions (
  client_hash text not null,
  window_start timestamptz not null,
  submissions integer not null,
  primary key (client_hash, window_start)
);
