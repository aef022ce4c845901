import crypto from 'node:crypto'
import os from 'node:os'
import type { Db, Trx } from '../db/database.js'
import { systemClock, type Clock } from '../clock.js'
import {
  claimDueSchedules,
  claimJobs,
  deleteFinishedJobs,
  extendLease,
  insertJob,
  markJobAttemptFailed,
  markJobDone,
  upsertSchedules,
  type ClaimedJob,
} from './jobs.queries.js'

export interface JobLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface JobContext {
  db: Db
  log: JobLogger
  /** 1 on the first run; a handler that resumes work may look at it. */
  attempt: number
  jobId: number
  /** The worker's clock: what a handler decides by the time reads it here. */
  clock: Clock
}

/**
 * Does the work of one job. It may run more than once (a retry after an error, or after its worker
 * died), so it must be idempotent: check what is already done before doing it again.
 */
export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<void>

export interface JobSchedule {
  name: string
  everySeconds: number
}

export interface JobRegistry {
  readonly handlers: ReadonlyMap<string, JobHandler>
  /** Recurring jobs; each names a handler of this registry. */
  readonly schedules: readonly JobSchedule[]
}

export interface NewJob {
  name: string
  payload?: Record<string, unknown>
  /** Not before this time. */
  runAt?: Date
  /** At most one queued or running job per key: a second enqueue meanwhile is a no-op. */
  key?: string
  /** Runs before the job is failed for good; default 5. */
  maxAttempts?: number
}

/**
 * Queues a job. Pass the caller's transaction, so the job exists exactly when the business change
 * commits (and not at all if it rolls back). Returns false when a job with the same key is already
 * queued or running.
 */
export async function enqueueJob(db: Db | Trx, job: NewJob): Promise<boolean> {
  if (job.maxAttempts !== undefined && (!Number.isInteger(job.maxAttempts) || job.maxAttempts < 1)) {
    throw new Error(`maxAttempts of job "${job.name}" must be a whole number of at least 1`)
  }
  return insertJob(db, {
    name: job.name,
    payload: job.payload ?? {},
    runAt: job.runAt,
    key: job.key,
    maxAttempts: job.maxAttempts,
  })
}

export function defineJobs(
  handlers: Record<string, JobHandler>,
  opts: { schedules?: JobSchedule[] } = {},
): JobRegistry {
  return { handlers: new Map(Object.entries(handlers)), schedules: opts.schedules ?? [] }
}

/** Deletes done jobs after a week; failed ones stay until an admin retries them. */
export const CLEAN_UP_JOBS = 'jobs.cleanUp'
export const cleanUpFinishedJobs: JobHandler = async (_payload, { db, log, clock }) => {
  const deleted = await deleteFinishedJobs(db, 7, clock)
  if (deleted > 0) log.info({ deleted }, 'deleted done jobs older than 7 days')
}

/**
 * Wait before the next attempt: 10 s, 20 s, 40 s … after the 1st, 2nd, 3rd failure, at most an hour,
 * ±25 % so the jobs that failed in one outage do not all come back in the same second.
 */
export function defaultBackoff(attempt: number): number {
  const base = 10_000 * 2 ** Math.max(0, attempt - 1)
  return Math.round(Math.min(base * (0.75 + Math.random() * 0.5), 3_600_000))
}

export interface JobWorkerOptions {
  log: JobLogger
  /** How often to look for due jobs and schedules when idle. */
  pollMs?: number
  /** Jobs this worker runs at the same time. */
  concurrency?: number
  /** Names this worker in locked_by; unique per process by default. */
  workerId?: string
  /** Recurring jobs in addition to the registry's. */
  schedules?: JobSchedule[]
  /** How long a claim holds before another worker may take the job over; renewed while the handler runs. */
  leaseSeconds?: number
  /** Milliseconds to wait before the next attempt, after the given attempt (1, 2, …) failed. */
  backoff?: (attempt: number) => number
  /** false: no background polling, jobs run only through runDueJobs() (tests). */
  polling?: boolean
  /** What is due is decided by this clock's time; the system clock unless given (tests move theirs). */
  clock?: Clock
}

export interface JobWorker {
  /** Stops polling and waits for the jobs that are running. */
  stop(): Promise<void>
  /** Runs every job (and schedule period) due now, until none is left; returns how many jobs ran. */
  runDueJobs(): Promise<number>
}

/**
 * Starts a worker: registers the schedules, then every pollMs claims due schedule periods and due
 * jobs and runs them. The claim is one short transaction; handlers run outside it, so a handler may
 * use the database freely (PGlite has one connection: a transaction held open around a handler that
 * queries would wait for itself forever).
 */
export async function startJobWorker(db: Db, registry: JobRegistry, opts: JobWorkerOptions): Promise<JobWorker> {
  const log = opts.log
  const pollMs = opts.pollMs ?? 1000
  const concurrency = opts.concurrency ?? 1
  const leaseSeconds = opts.leaseSeconds ?? 300
  const backoff = opts.backoff ?? defaultBackoff
  const clock = opts.clock ?? systemClock
  const workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`
  const schedules = [...registry.schedules, ...(opts.schedules ?? [])]
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('Job worker: concurrency must be a whole number of at least 1')
  if (!(leaseSeconds >= 1)) throw new Error('Job worker: leaseSeconds must be at least 1')
  for (const s of schedules) {
    if (!registry.handlers.has(s.name)) throw new Error(`Job schedule "${s.name}" has no handler in the job registry`)
    if (!Number.isInteger(s.everySeconds) || s.everySeconds < 1)
      throw new Error(`Job schedule "${s.name}": everySeconds must be a whole number of at least 1`)
  }
  await upsertSchedules(db, schedules, clock)
  const scheduleNames = schedules.map(s => s.name)

  const running = new Set<Promise<void>>()
  let stopping = false
  let wakeUp: (() => void) | undefined
  const wake = () => wakeUp?.()

  async function runClaimed(job: ClaimedJob): Promise<void> {
    const jobLog = withFields(log, { job: job.name, jobId: job.id, attempt: job.attempt })
    // Renews the lease while the handler runs, so only a dead worker loses its job, not a slow one.
    const heartbeat = setInterval(
      () => {
        extendLease(db, workerId, job, leaseSeconds, clock)
          .then(kept => {
            if (!kept) jobLog.warn({}, 'job lease was taken over by another worker')
          })
          .catch((error: unknown) => jobLog.warn({ err: error }, 'could not renew job lease'))
      },
      Math.max(1000, (leaseSeconds * 1000) / 3),
    )
    heartbeat.unref()
    let failure: unknown
    let failed = false
    try {
      const handler = registry.handlers.get(job.name)
      if (!handler)
        throw new Error(
          `No handler for job "${job.name}" in this worker; known jobs: ${[...registry.handlers.keys()].join(', ') || 'none'}`,
        )
      await handler(job.payload, { db, log: jobLog, attempt: job.attempt, jobId: job.id, clock })
    } catch (error) {
      failed = true
      failure = error
    } finally {
      clearInterval(heartbeat)
    }
    try {
      if (!failed) {
        if (!(await markJobDone(db, workerId, job, clock)))
          jobLog.warn({}, 'job finished after its lease was taken over; the other run counts')
        return
      }
      const { recorded, final } = await markJobAttemptFailed(
        db,
        workerId,
        job,
        describeError(failure),
        backoff(job.attempt),
        clock,
      )
      if (!recorded) jobLog.warn({ err: failure }, 'job failed after its lease was taken over')
      else if (final) jobLog.error({ err: failure }, 'job failed for good')
      else jobLog.warn({ err: failure }, 'job failed, will retry')
    } catch (error) {
      // The outcome could not be written (database gone); the lease runs out and the job runs again.
      jobLog.error({ err: error }, 'could not record the outcome of a job')
    }
  }

  /** Claims due schedule periods, then up to `limit` jobs. */
  async function claim(limit: number): Promise<ClaimedJob[]> {
    await claimDueSchedules(db, scheduleNames, clock)
    const { claimed, abandoned, exhausted } = await claimJobs(db, { workerId, limit, leaseSeconds, clock })
    for (const job of abandoned)
      log.warn({ job: job.name, jobId: job.id, lockedBy: job.lockedBy }, 'taking over a job whose worker stopped')
    for (const job of exhausted)
      log.error(
        { job: job.name, jobId: job.id, lockedBy: job.lockedBy },
        'job failed for good: its worker stopped during the last attempt',
      )
    return claimed
  }

  function track(job: ClaimedJob) {
    const run = runClaimed(job).finally(() => {
      running.delete(run)
      wake()
    })
    running.add(run)
  }

  async function pollLoop() {
    while (!stopping) {
      let full = false
      try {
        const free = concurrency - running.size
        if (free > 0) {
          const claimed = await claim(free)
          for (const job of claimed) track(job)
          // A full batch means more may be due: go again at once (or when a slot frees up).
          full = claimed.length === free
        }
      } catch (error) {
        log.error({ err: error, workerId }, 'job worker could not poll')
      }
      if (stopping) break
      if (full && running.size < concurrency) continue
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, pollMs)
        wakeUp = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      wakeUp = undefined
    }
  }

  const loop = opts.polling === false ? Promise.resolve() : pollLoop()
  log.info({ workerId, concurrency, schedules: scheduleNames }, 'job worker started')

  return {
    async stop() {
      stopping = true
      wake()
      await loop
      await Promise.allSettled([...running])
    },
    async runDueJobs() {
      let count = 0
      for (;;) {
        const claimed = await claim(concurrency)
        if (claimed.length === 0) return count
        await Promise.all(claimed.map(runClaimed))
        count += claimed.length
      }
    },
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  return text.length > 4000 ? `${text.slice(0, 4000)}…` : text
}

function withFields(log: JobLogger, fields: object): JobLogger {
  return {
    info: (obj, msg) => log.info({ ...fields, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...fields, ...obj }, msg),
    error: (obj, msg) => log.error({ ...fields, ...obj }, msg),
  }
}
