-- Background jobs in the database itself (payment reconciliation, receipts, recurring fees, reminders):
-- queued in the same transaction as the change that causes them, so a job exists exactly when that
-- change commits. Workers claim rows with FOR UPDATE SKIP LOCKED; no queue server, same on PGlite.
create table jobs (
  id bigserial primary key,
  -- Which handler runs it; a worker without a handler for the name fails the job with a clear error.
  name text not null,
  payload jsonb not null default '{}',
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  -- Not before this time (database clock); also when the next attempt after a failure is due.
  run_at timestamptz not null default now(),
  -- Started runs so far, counted when a worker claims the job, so a job that kills its worker is counted too.
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 5 check (max_attempts >= 1),
  -- The lease: the worker running it, and until when. A worker that dies mid-job loses the job
  -- once locked_until has passed, and another worker runs it again.
  locked_by text,
  locked_until timestamptz,
  last_error text,
  -- "Enqueue once": at most one queued or running job per key (e.g. one per schedule period).
  singleton_key text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  check ((status = 'running') = (locked_until is not null))
);
create unique index jobs_singleton_key on jobs (singleton_key)
  where singleton_key is not null and status in ('queued', 'running');
-- What the dequeue query scans: due queued jobs in order, and running jobs whose lease ran out.
create index jobs_due on jobs (run_at, id) where status = 'queued';
create index jobs_lease on jobs (locked_until) where status = 'running';
-- The admin page lists failed jobs newest first; the clean-up deletes old done jobs.
create index jobs_finished on jobs (status, finished_at) where status in ('done', 'failed');

-- Recurring jobs. Each worker claims a due period with one atomic UPDATE … WHERE next_run_at <= now(),
-- so across several app processes each period is claimed, and its job queued, once.
create table job_schedules (
  name text primary key,
  every_seconds integer not null check (every_seconds > 0),
  next_run_at timestamptz not null default now()
);
