import { sql, type UpdateQueryBuilder, type UpdateResult } from 'kysely'
import type { Db, Trx } from '../db/database.js'
import type { Clock } from '../clock.js'
import type { Database, JobStatus } from '../db/schema.js'

/** A job a worker has claimed: it holds the lease until it finishes or the lease runs out. */
export interface ClaimedJob {
  id: number
  name: string
  payload: Record<string, unknown>
  /** This run, counted from 1. Together with the worker id it names the claim, so a late finish of a lost lease changes nothing. */
  attempt: number
  maxAttempts: number
}

export interface NewJobRow {
  name: string
  payload: Record<string, unknown>
  runAt?: Date
  key?: string
  maxAttempts?: number
}

/** Inserts a job; with a key, nothing happens while a job with that key is queued or running. */
export async function insertJob(db: Db | Trx, job: NewJobRow): Promise<boolean> {
  const inserted = await db
    .insertInto('jobs')
    .values({
      name: job.name,
      payload: JSON.stringify(job.payload),
      ...(job.runAt ? { run_at: job.runAt } : {}),
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
      singleton_key: job.key ?? null,
    })
    // The predicate repeats the partial index's literally, so PostgreSQL can infer it as the arbiter.
    .onConflict(oc =>
      oc
        .column('singleton_key')
        .where(sql<boolean>`singleton_key is not null and status in ('queued', 'running')`)
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

/** A running job whose worker's lease ran out. */
export interface LostJob {
  id: number
  name: string
  lockedBy: string | null
}

/**
 * Claims up to `limit` jobs in one short transaction: first running jobs whose lease ran out (their
 * worker died), then due queued jobs in order. SKIP LOCKED lets concurrent workers pass over rows
 * another worker is claiming, so no job is handed out twice. A taken-over job at its last attempt
 * is failed instead of run again: it stopped its worker every time.
 */
export async function claimJobs(
  db: Db,
  opts: { workerId: string; limit: number; leaseSeconds: number; clock: Clock },
): Promise<{ claimed: ClaimedJob[]; abandoned: LostJob[]; exhausted: LostJob[] }> {
  const now = opts.clock.now()
  return db.transaction().execute(async trx => {
    const expired = await trx
      .selectFrom('jobs')
      .select(['id', 'attempts', 'max_attempts as maxAttempts', 'locked_by as lockedBy', 'name'])
      .where('status', '=', 'running')
      .where('locked_until', '<', now)
      .orderBy('locked_until')
      .limit(opts.limit)
      .forUpdate()
      .skipLocked()
      .execute()
    const queued =
      expired.length >= opts.limit
        ? []
        : await trx
            .selectFrom('jobs')
            .select(['id'])
            .where('status', '=', 'queued')
            // A job the database stamped (run_at default now(), microseconds) within this millisecond is due too.
            .where('run_at', '<', new Date(now.getTime() + 1))
            .orderBy('run_at')
            .orderBy('id')
            .limit(opts.limit - expired.length)
            .forUpdate()
            .skipLocked()
            .execute()

    const exhausted = expired.filter(j => j.attempts >= j.maxAttempts)
    for (const job of exhausted) {
      await trx
        .updateTable('jobs')
        .set({
          status: 'failed',
          finished_at: now,
          locked_until: null,
          last_error: `The lease of attempt ${job.attempts} ran out: worker ${job.lockedBy ?? '?'} stopped or took too long, and no attempts are left.`,
        })
        .where('id', '=', job.id)
        .execute()
    }
    const ids = [...expired.filter(j => j.attempts < j.maxAttempts).map(j => j.id), ...queued.map(j => j.id)]
    const claimed =
      ids.length === 0
        ? []
        : await trx
            .updateTable('jobs')
            .set({
              status: 'running',
              attempts: sql`attempts + 1`,
              locked_by: opts.workerId,
              locked_until: new Date(now.getTime() + opts.leaseSeconds * 1000),
            })
            .where('id', 'in', ids)
            .returning(['id', 'name', 'payload', 'attempts as attempt', 'max_attempts as maxAttempts'])
            .execute()
    const lost = (j: (typeof expired)[number]): LostJob => ({ id: j.id, name: j.name, lockedBy: j.lockedBy })
    const abandoned = expired.filter(j => j.attempts < j.maxAttempts).map(lost)
    return {
      claimed: claimed.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id)),
      abandoned,
      exhausted: exhausted.map(lost),
    }
  })
}

/** The where-clause of one claim: this job, still running under this worker and attempt. */
const ownClaim =
  (workerId: string, job: ClaimedJob) => (qb: UpdateQueryBuilder<Database, 'jobs', 'jobs', UpdateResult>) =>
    qb
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('locked_by', '=', workerId)
      .where('attempts', '=', job.attempt)

/** Keeps the lease of a long-running job; false when another worker has taken it over meanwhile. */
export async function extendLease(
  db: Db,
  workerId: string,
  job: ClaimedJob,
  leaseSeconds: number,
  clock: Clock,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: new Date(clock.now().getTime() + leaseSeconds * 1000) })
    .$call(ownClaim(workerId, job))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function markJobDone(db: Db, workerId: string, job: ClaimedJob, clock: Clock): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: clock.now(), locked_until: null })
    .$call(ownClaim(workerId, job))
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** A failed attempt: queued again after the back-off, or failed for good when no attempt is left. */
export async function markJobAttemptFailed(
  db: Db,
  workerId: string,
  job: ClaimedJob,
  error: string,
  retryInMs: number,
  clock: Clock,
): Promise<{ recorded: boolean; final: boolean }> {
  const final = job.attempt >= job.maxAttempts
  const now = clock.now()
  const result = await db
    .updateTable('jobs')
    .set(
      final
        ? { status: 'failed', finished_at: now, locked_until: null, last_error: error }
        : {
            status: 'queued',
            run_at: new Date(now.getTime() + retryInMs),
            locked_until: null,
            last_error: error,
          },
    )
    .$call(ownClaim(workerId, job))
    .executeTakeFirst()
  return { recorded: result.numUpdatedRows > 0n, final }
}

/** Registers recurring jobs; a changed interval takes effect at once if it makes the next run sooner. */
export async function upsertSchedules(
  db: Db,
  schedules: readonly { name: string; everySeconds: number }[],
  clock: Clock,
): Promise<void> {
  if (schedules.length === 0) return
  const now = clock.now()
  await db
    .insertInto('job_schedules')
    .values(schedules.map(s => ({ name: s.name, every_seconds: s.everySeconds, next_run_at: now })))
    .onConflict(oc =>
      oc.column('name').doUpdateSet({
        every_seconds: eb => eb.ref('excluded.every_seconds'),
        next_run_at: sql`least(job_schedules.next_run_at, ${now}::timestamptz + make_interval(secs => excluded.every_seconds))`,
      }),
    )
    .execute()
}

/**
 * Claims the due period of each named schedule and queues its job, in one transaction. The UPDATE
 * … WHERE next_run_at <= now() is atomic: a second worker waits for the row and then finds it no
 * longer due, so each period is claimed once. next_run_at moves to the first slot after now, so a
 * process that was down for a day runs the job once, not once per missed period.
 */
export async function claimDueSchedules(db: Db, names: readonly string[], clock: Clock): Promise<string[]> {
  if (names.length === 0) return []
  const now = clock.now()
  return db.transaction().execute(async trx => {
    const due = await trx
      .updateTable('job_schedules')
      .set({
        next_run_at: sql`next_run_at + make_interval(secs => every_seconds * (floor(extract(epoch from ${now}::timestamptz - next_run_at) / every_seconds) + 1))`,
      })
      .where('name', 'in', [...names])
      .where('next_run_at', '<=', now)
      .returning('name')
      .execute()
    for (const { name } of due) await insertJob(trx, { name, payload: {}, key: `schedule:${name}`, runAt: now })
    return due.map(d => d.name)
  })
}

/** Deletes done jobs finished more than `days` ago; failed ones stay for the admin page. */
export async function deleteFinishedJobs(db: Db, days: number, clock: Clock): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('finished_at', '<', new Date(clock.now().getTime() - days * 86_400_000))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function countJobsByStatus(db: Db): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', eb => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 }
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}

export interface FailedJob {
  id: number
  name: string
  attempts: number
  lastError: string | null
  createdAt: Date
  finishedAt: Date | null
}

export function listFailedJobs(db: Db, limit = 100): Promise<FailedJob[]> {
  return db
    .selectFrom('jobs')
    .select([
      'id',
      'name',
      'attempts',
      'last_error as lastError',
      'created_at as createdAt',
      'finished_at as finishedAt',
    ])
    .where('status', '=', 'failed')
    .orderBy('finished_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

export type RetryOutcome = 'retried' | 'notFailed' | 'keyTaken'

/**
 * Queues a failed job again with a fresh set of attempts. A job whose key another queued or running
 * job holds meanwhile stays failed: that one does the work.
 */
export async function retryFailedJob(db: Db, jobId: number, clock: Clock): Promise<RetryOutcome> {
  return requeueFailedJob(db, jobId, clock).catch((error: unknown) => {
    // Recover: a job with the same key was queued between the check and the update.
    if ((error as { code?: string }).code === '23505') return 'keyTaken' as const
    throw error
  })
}

function requeueFailedJob(db: Db, jobId: number, clock: Clock): Promise<RetryOutcome> {
  return db.transaction().execute(async trx => {
    const job = await trx
      .selectFrom('jobs')
      .select(['id', 'singleton_key as key'])
      .where('id', '=', jobId)
      .where('status', '=', 'failed')
      .forUpdate()
      .executeTakeFirst()
    if (!job) return 'notFailed'
    if (job.key) {
      const holder = await trx
        .selectFrom('jobs')
        .select('id')
        .where('singleton_key', '=', job.key)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst()
      if (holder) return 'keyTaken'
    }
    await trx
      .updateTable('jobs')
      .set({ status: 'queued', run_at: clock.now(), attempts: 0, finished_at: null, locked_by: null })
      .where('id', '=', jobId)
      .execute()
    return 'retried'
  })
}
