import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { TestClock } from './support/test-clock.js'
import { staffBrowser } from './support/casework.js'
import { openDatabase, type DatabaseHandle, type Db } from '../src/platform/db/database.js'
import {
  CLEAN_UP_JOBS,
  defineJobs,
  enqueueJob,
  startJobWorker,
  type JobContext,
  type JobLogger,
  type JobRegistry,
  type JobWorker,
  type JobWorkerOptions,
} from '../src/platform/jobs/index.js'
import { buildJobRegistry } from '../src/jobs.js'
import { DEMO_ADMIN, DEMO_OFFICE_ADMIN } from '../src/seed.js'

let platform: TestPlatform
/** A second connection to the same database, as a second app process would have: its own pool on the server; on PGlite the one handle. */
let second: DatabaseHandle | undefined
before(async () => {
  platform = await startTestPlatform()
  if (platform.config.databaseUrl)
    second = await openDatabase({ databaseUrl: platform.config.databaseUrl, dataDir: '' })
})
after(async () => {
  await second?.close()
  await platform.close()
})

const db = () => platform.database.db
const otherDb = () => second?.db ?? db()
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined }

let workers: JobWorker[] = []
/** The workers' clock, new for each test: a test moves it instead of waiting or rewriting timestamps. */
let clock = new TestClock()
/** A worker that runs jobs only when the test calls runDueJobs, retrying at once after a failure. */
async function worker(registry: JobRegistry, opts: Partial<JobWorkerOptions> & { on?: Db } = {}) {
  const started = await startJobWorker(opts.on ?? db(), registry, {
    log: quiet,
    polling: false,
    backoff: () => 0,
    clock,
    ...opts,
  })
  workers.push(started)
  return started
}
beforeEach(async () => {
  clock = new TestClock()
  await db().deleteFrom('jobs').execute()
  await db().deleteFrom('job_schedules').execute()
})
afterEach(async () => {
  await Promise.all(workers.map(w => w.stop()))
  workers = []
})

const jobRow = (id: number) => db().selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const onlyJob = () => db().selectFrom('jobs').selectAll().executeTakeFirstOrThrow()
async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

describe('running a job', () => {
  it('runs a queued job once, with its payload, and marks it done', async () => {
    const calls: { payload: Record<string, unknown>; ctx: JobContext }[] = []
    const w = await worker(
      defineJobs({
        'receipt.send': async (payload, ctx) => {
          calls.push({ payload, ctx })
        },
      }),
    )
    assert.equal(await enqueueJob(db(), { name: 'receipt.send', payload: { paymentId: 'p-1' } }), true)
    assert.equal(await w.runDueJobs(), 1)
    assert.equal(await w.runDueJobs(), 0)
    assert.equal(calls.length, 1)
    assert.deepEqual(calls[0]!.payload, { paymentId: 'p-1' })
    assert.equal(calls[0]!.ctx.attempt, 1)
    const row = await onlyJob()
    assert.equal(calls[0]!.ctx.jobId, row.id)
    assert.equal(row.status, 'done')
    assert.ok(row.finished_at)
    assert.equal(row.locked_until, null)
  })

  it('queues a job with the caller’s transaction: none when it rolls back, one when it commits', async () => {
    await assert.rejects(
      db()
        .transaction()
        .execute(async trx => {
          await enqueueJob(trx, { name: 'receipt.send' })
          throw new Error('the business change failed')
        }),
      /business change failed/,
    )
    assert.equal((await db().selectFrom('jobs').select('id').execute()).length, 0)
    await db()
      .transaction()
      .execute(trx => enqueueJob(trx, { name: 'receipt.send' }))
    assert.equal((await db().selectFrom('jobs').select('id').execute()).length, 1)
  })

  it('lets a handler use the database while it runs (no transaction is held around it, not even on PGlite)', async () => {
    const w = await worker(
      defineJobs({
        nested: async (_payload, ctx) => {
          await ctx.db.transaction().execute(trx => enqueueJob(trx, { name: 'follow-up' }))
          await ctx.db.selectFrom('jobs').select('id').where('id', '=', ctx.jobId).forUpdate().execute()
        },
        'follow-up': async () => undefined,
      }),
    )
    await enqueueJob(db(), { name: 'nested' })
    assert.equal(await w.runDueJobs(), 2)
  })

  it('runs a job with a key once, however often it is queued while waiting, and accepts the key again afterwards', async () => {
    let runs = 0
    const w = await worker(
      defineJobs({
        'payments.reconcile': async () => {
          runs++
        },
      }),
    )
    assert.equal(await enqueueJob(db(), { name: 'payments.reconcile', key: 'reconcile:p-1' }), true)
    assert.equal(await enqueueJob(db(), { name: 'payments.reconcile', key: 'reconcile:p-1' }), false)
    assert.equal(
      await db()
        .transaction()
        .execute(trx => enqueueJob(trx, { name: 'payments.reconcile', key: 'reconcile:p-1' })),
      false,
    )
    assert.equal(await enqueueJob(db(), { name: 'payments.reconcile', key: 'reconcile:p-2' }), true)
    assert.equal(await w.runDueJobs(), 2)
    assert.equal(runs, 2)
    assert.equal(
      await enqueueJob(db(), { name: 'payments.reconcile', key: 'reconcile:p-1' }),
      true,
      'a finished job frees its key',
    )
  })

  it('does not run a job before its runAt', async () => {
    let runs = 0
    const w = await worker(
      defineJobs({
        reminder: async () => {
          runs++
        },
      }),
    )
    await enqueueJob(db(), { name: 'reminder', runAt: new Date(Date.now() + 3_600_000) })
    await enqueueJob(db(), { name: 'reminder', runAt: new Date(Date.now() - 1000) })
    assert.equal(await w.runDueJobs(), 1)
    assert.equal(runs, 1)
    const waiting = await db().selectFrom('jobs').selectAll().where('status', '=', 'queued').execute()
    assert.equal(waiting.length, 1)
    assert.ok(waiting[0]!.run_at.getTime() > Date.now() + 3_500_000)
  })
})

describe('failures', () => {
  it('retries a failing job after a back-off, then fails it for good with the last error, and runs it no more', async () => {
    let runs = 0
    const attempts: number[] = []
    const w = await worker(
      defineJobs({
        'receipt.send': async (_p, ctx) => {
          runs++
          attempts.push(ctx.attempt)
          throw new Error(`mail server refused (run ${runs})`)
        },
      }),
    )
    await enqueueJob(db(), { name: 'receipt.send', maxAttempts: 3 })
    assert.equal(await w.runDueJobs(), 3)
    assert.deepEqual(attempts, [1, 2, 3])
    const row = await onlyJob()
    assert.equal(row.status, 'failed')
    assert.equal(row.attempts, 3)
    assert.match(row.last_error ?? '', /mail server refused \(run 3\)/)
    assert.ok(row.finished_at)
    assert.equal(await w.runDueJobs(), 0)
    assert.equal(runs, 3)
  })

  it('waits the back-off before the next attempt', async () => {
    const seen: number[] = []
    const w = await worker(
      defineJobs({
        flaky: async () => {
          throw new Error('provider timeout')
        },
      }),
      {
        backoff: attempt => {
          seen.push(attempt)
          return 60_000
        },
      },
    )
    await enqueueJob(db(), { name: 'flaky' })
    assert.equal(await w.runDueJobs(), 1)
    assert.deepEqual(seen, [1])
    const row = await onlyJob()
    assert.equal(row.status, 'queued')
    assert.equal(row.attempts, 1)
    assert.match(row.last_error ?? '', /provider timeout/)
    const { seconds } = (
      await sql<{
        seconds: number
      }>`select extract(epoch from run_at - ${clock.now()}::timestamptz)::float8 as seconds from jobs`.execute(db())
    ).rows[0]!
    assert.ok(seconds > 50 && seconds <= 60, `next attempt in ${seconds} s`)
    assert.equal(await w.runDueJobs(), 0)
  })

  it('fails a job whose name has no handler, saying so', async () => {
    const w = await worker(defineJobs({ known: async () => undefined }))
    await enqueueJob(db(), { name: 'payments.unknown', maxAttempts: 1 })
    assert.equal(await w.runDueJobs(), 1)
    const row = await onlyJob()
    assert.equal(row.status, 'failed')
    assert.match(row.last_error ?? '', /No handler for job "payments\.unknown" in this worker; known jobs: known/)
  })

  it('refuses to start with a schedule that has no handler', async () => {
    await assert.rejects(
      startJobWorker(db(), defineJobs({}), {
        log: quiet,
        polling: false,
        schedules: [{ name: 'nobody', everySeconds: 60 }],
      }),
      /Job schedule "nobody" has no handler/,
    )
  })
})

describe('a worker that dies', () => {
  it('loses its job when the lease runs out, and another worker runs it again', async () => {
    const attempts: number[] = []
    const w = await worker(
      defineJobs({
        'receipt.send': async (_p, ctx) => {
          attempts.push(ctx.attempt)
        },
      }),
      { workerId: 'survivor' },
    )
    await enqueueJob(db(), { name: 'receipt.send', payload: { n: 'dead' } })
    await enqueueJob(db(), { name: 'receipt.send', payload: { n: 'alive' } })
    const [dead, alive] = await db().selectFrom('jobs').select('id').orderBy('id').execute()
    // As a worker leaves them: claimed, attempt counted, then the process vanished (dead) or still works (alive).
    await sql`update jobs set status = 'running', attempts = 1, locked_by = 'crashed', locked_until = now() - interval '1 second' where id = ${dead!.id}`.execute(
      db(),
    )
    await sql`update jobs set status = 'running', attempts = 1, locked_by = 'busy', locked_until = now() + interval '5 minutes' where id = ${alive!.id}`.execute(
      db(),
    )
    assert.equal(await w.runDueJobs(), 1)
    assert.deepEqual(attempts, [2])
    const taken = await jobRow(dead!.id)
    assert.equal(taken.status, 'done')
    assert.equal(taken.locked_by, 'survivor')
    const untouched = await jobRow(alive!.id)
    assert.equal(untouched.status, 'running')
    assert.equal(untouched.locked_by, 'busy')
  })

  it('fails a job whose lease ran out at its last attempt instead of running it again', async () => {
    let runs = 0
    const w = await worker(
      defineJobs({
        'pdf.render': async () => {
          runs++
        },
      }),
    )
    await enqueueJob(db(), { name: 'pdf.render', maxAttempts: 2 })
    await sql`update jobs set status = 'running', attempts = 2, locked_by = 'crashed', locked_until = now() - interval '1 second'`.execute(
      db(),
    )
    assert.equal(await w.runDueJobs(), 0)
    assert.equal(runs, 0)
    const row = await onlyJob()
    assert.equal(row.status, 'failed')
    assert.match(row.last_error ?? '', /lease of attempt 2 ran out: worker crashed/)
  })

  it('keeps the lease of a slow job alive, and ignores the late finish of a job another worker took over', async () => {
    let release!: () => void
    const gate = new Promise<void>(resolve => {
      release = resolve
    })
    const w = await worker(defineJobs({ slow: async () => gate }), { workerId: 'slow-one', leaseSeconds: 1 })
    await enqueueJob(db(), { name: 'slow' })
    const running = w.runDueJobs()
    await waitFor(async () => (await onlyJob()).status === 'running', 'the job to start')
    const firstLease = (await onlyJob()).locked_until!.getTime()
    await waitFor(async () => (await onlyJob()).locked_until!.getTime() > firstLease, 'the lease to be renewed', 5000)
    // Another worker takes the job over (as if this one had stalled past its lease); the late finish must not count.
    await sql`update jobs set locked_by = 'other', attempts = attempts + 1`.execute(db())
    release()
    assert.equal(await running, 1)
    const row = await onlyJob()
    assert.equal(row.status, 'running')
    assert.equal(row.locked_by, 'other')
  })

  it('stops only after the running jobs have finished', async () => {
    let release!: () => void
    const gate = new Promise<void>(resolve => {
      release = resolve
    })
    let finished = false
    const w = await startJobWorker(
      db(),
      defineJobs({
        slow: async () => {
          await gate
          finished = true
        },
      }),
      { log: quiet, pollMs: 20 },
    )
    await enqueueJob(db(), { name: 'slow' })
    await waitFor(async () => (await onlyJob()).status === 'running', 'the job to start')
    let stopped = false
    const stopping = w.stop().then(() => {
      stopped = true
    })
    await sleep(100)
    assert.equal(stopped, false)
    release()
    await stopping
    assert.equal(finished, true)
    assert.equal((await onlyJob()).status, 'done')
  })
})

describe('several workers on one database', () => {
  it('runs each of 50 jobs exactly once with two polling workers', async () => {
    const runs = new Map<number, number>()
    const registry = defineJobs({
      'receipt.send': async (_p, ctx) => {
        runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1)
        await sleep(Math.random() * 5)
      },
    })
    for (let i = 0; i < 50; i++) await enqueueJob(db(), { name: 'receipt.send', payload: { i } })
    const opts = { log: quiet, pollMs: 20, concurrency: 4, backoff: () => 0 }
    workers.push(await startJobWorker(db(), registry, { ...opts, workerId: 'one' }))
    workers.push(await startJobWorker(otherDb(), registry, { ...opts, workerId: 'two' }))
    await waitFor(
      async () => (await db().selectFrom('jobs').select('id').where('status', '=', 'done').execute()).length === 50,
      '50 jobs done',
    )
    assert.equal(runs.size, 50)
    assert.deepEqual(
      [...runs.values()].filter(n => n !== 1),
      [],
    )
    const byWorker = await db()
      .selectFrom('jobs')
      .select(['locked_by', eb => eb.fn.countAll<number>().as('n')])
      .groupBy('locked_by')
      .execute()
    assert.deepEqual(byWorker.map(r => r.locked_by).sort(), ['one', 'two'], 'both workers took part')
  })

  it('hands out each job once when two workers claim at the same moment', async () => {
    const runs = new Map<number, number>()
    const registry = defineJobs({
      'receipt.send': async (_p, ctx) => {
        runs.set(ctx.jobId, (runs.get(ctx.jobId) ?? 0) + 1)
      },
    })
    for (let i = 0; i < 50; i++) await enqueueJob(db(), { name: 'receipt.send' })
    const one = await worker(registry, { concurrency: 3 })
    const two = await worker(registry, { concurrency: 3, on: otherDb() })
    const counts = await Promise.all([one.runDueJobs(), two.runDueJobs(), one.runDueJobs(), two.runDueJobs()])
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      50,
    )
    assert.equal(runs.size, 50)
    assert.deepEqual(
      [...runs.values()].filter(n => n !== 1),
      [],
    )
  })

  it('runs a scheduled job once per period, whichever of two workers polls', async () => {
    let ticks = 0
    const registry = defineJobs(
      {
        'fees.recurring': async () => {
          ticks++
        },
      },
      { schedules: [{ name: 'fees.recurring', everySeconds: 3600 }] },
    )
    const one = await worker(registry, { workerId: 'one' })
    const two = await worker(registry, { workerId: 'two', on: otherDb() })
    const pollBoth = () => Promise.all([one.runDueJobs(), two.runDueJobs(), one.runDueJobs(), two.runDueJobs()])
    await pollBoth()
    assert.equal(ticks, 1, 'the first period runs at once, once')
    await pollBoth()
    assert.equal(ticks, 1, 'nothing more within the period')
    const { next } = (
      await sql<{
        next: number
      }>`select extract(epoch from next_run_at - ${clock.now()}::timestamptz)::float8 as next from job_schedules`.execute(
        db(),
      )
    ).rows[0]!
    assert.ok(next > 3500 && next <= 3600, `next period in ${next} s`)
    // The next period begins.
    clock.advance(3_600_000)
    await pollBoth()
    assert.equal(ticks, 2)
    // Down for three periods: the job runs once on return, and the schedule keeps its rhythm.
    clock.advance(3 * 3_600_000)
    await pollBoth()
    assert.equal(ticks, 3)
    const after = (
      await sql<{
        next: number
      }>`select extract(epoch from next_run_at - ${clock.now()}::timestamptz)::float8 as next from job_schedules`.execute(
        db(),
      )
    ).rows[0]!
    assert.ok(after.next > 0 && after.next <= 3600, `next period in ${after.next} s`)
  })

  it('runs a schedule of one second about once a second with two polling workers', async () => {
    let ticks = 0
    const registry = defineJobs(
      {
        tick: async () => {
          ticks++
        },
      },
      { schedules: [{ name: 'tick', everySeconds: 1 }] },
    )
    // Time stands still but for the test's steps, however slowly the machine runs the workers.
    const still = new TestClock(new Date())
    const opts = { log: quiet, pollMs: 20, clock: still }
    workers.push(await startJobWorker(db(), registry, opts), await startJobWorker(otherDb(), registry, opts))
    // After each step both workers poll a few more times, so a period run by each of them would show.
    const pollsAfter = async (expectedTicks: number) => {
      await waitFor(async () => ticks >= expectedTicks, `${expectedTicks} runs`)
      const reads = still.reads
      await waitFor(async () => still.reads >= reads + 20, 'both workers to poll again')
    }
    await pollsAfter(1)
    for (const step of [1000, 1000, 500]) {
      still.advance(step)
      await pollsAfter(step === 1000 ? ticks + 1 : ticks)
    }
    // Periods start at 0 s, 1 s and 2 s: at most three runs (fewer on a loaded machine), never one per worker.
    assert.ok(ticks >= 1 && ticks <= 3, `${ticks} runs`)
  })
})

describe('clean-up', () => {
  it('deletes done jobs older than seven days by a schedule of the platform’s registry, keeping failed and recent ones', async () => {
    const platformJobs = buildJobRegistry({
      db: db(),
      config: platform.config,
      services: platform.app.services,
      log: quiet,
    })
    const cleanUp = platformJobs.handlers.get(CLEAN_UP_JOBS)
    const schedule = platformJobs.schedules.find(s => s.name === CLEAN_UP_JOBS)
    assert.ok(cleanUp && schedule, 'the registry holds the clean-up and its schedule')
    for (const [status, daysAgo] of [
      ['done', 8],
      ['done', 1],
      ['failed', 30],
    ] as const) {
      await sql`insert into jobs (name, status, attempts, finished_at) values (${`old.${status}.${daysAgo}`}, ${status}, 1, now() - make_interval(days => ${daysAgo}))`.execute(
        db(),
      )
    }
    // Only the clean-up: the other jobs of the registry talk to the payment provider.
    const w = await worker(defineJobs({ [CLEAN_UP_JOBS]: cleanUp }, { schedules: [schedule] }))
    assert.equal(await w.runDueJobs(), 1, 'the clean-up ran')
    const left = (await db().selectFrom('jobs').select('name').orderBy('name').execute()).map(r => r.name)
    assert.deepEqual(left, [CLEAN_UP_JOBS, 'old.done.1', 'old.failed.30'])
  })
})

describe('the background-jobs page of the administration', () => {
  async function failedJob() {
    const w = await worker(
      defineJobs({
        'payments.reconcile': async () => {
          throw new Error('Zahlungsanbieter <nicht> erreichbar')
        },
      }),
    )
    await enqueueJob(db(), { name: 'payments.reconcile', maxAttempts: 1, key: 'reconcile:p-9' })
    await w.runDueJobs()
    return (await onlyJob()).id
  }

  it('is for platform admins only', async () => {
    const jobId = await failedJob()
    const visitor = new TestBrowser(platform)
    const anonymous = await visitor.get('/backoffice/admin/jobs')
    assert.equal(anonymous.statusCode, 303)
    assert.match(String(anonymous.headers.location), /^\/backoffice\/login\?return=/)
    const caseworker = await staffBrowser(platform, 'buergerdienste')
    assert.equal((await caseworker.get('/backoffice/admin/jobs')).statusCode, 404)
    assert.equal((await caseworker.post(`/backoffice/admin/jobs/${jobId}/retry`)).statusCode, 404)
    const officeAdmin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_OFFICE_ADMIN)
    assert.equal((await officeAdmin.get('/backoffice/admin/jobs')).statusCode, 403)
    assert.equal((await officeAdmin.post(`/backoffice/admin/jobs/${jobId}/retry`)).statusCode, 403)
    const staffPage = await officeAdmin.get('/backoffice/admin/staff')
    assert.doesNotMatch(staffPage.body, /\/backoffice\/admin\/jobs/, 'no tab for office admins')
    assert.equal((await jobRow(jobId)).status, 'failed')
  })

  it('shows a platform admin the counts and the failed job, escaped, and retries it', async () => {
    const jobId = await failedJob()
    await enqueueJob(db(), { name: 'receipt.send', runAt: new Date(Date.now() + 60_000) })
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    const page = await admin.get('/backoffice/admin/jobs')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<h1[^>]*>Hintergrundaufträge<\/h1>/)
    assert.match(page.body, /href="\/backoffice\/admin\/jobs" aria-current="page"/)
    assert.match(page.body, /Wartend<\/th>\s*<td[^>]*>1<\/td>/)
    assert.match(page.body, /Fehlgeschlagen<\/th>\s*<td[^>]*>1<\/td>/)
    assert.ok(page.body.includes('payments.reconcile'))
    assert.ok(page.body.includes('Zahlungsanbieter &lt;nicht> erreichbar'))
    assert.ok(!page.body.includes('<nicht>'))
    assert.match(page.body, new RegExp(`action="/backoffice/admin/jobs/${jobId}/retry"`))
    assert.match(page.body, /name="_csrf" value="[^"]+"/)

    assert.equal((await admin.post(`/backoffice/admin/jobs/${jobId}/retry`, {}, { csrf: 'wrong' })).statusCode, 403)
    const retried = await admin.post(`/backoffice/admin/jobs/${jobId}/retry`)
    assert.equal(retried.statusCode, 303)
    const notice = await admin.follow(retried)
    assert.match(notice.body, /Der Auftrag wird erneut ausgeführt/)
    const row = await jobRow(jobId)
    assert.equal(row.status, 'queued')
    assert.equal(row.attempts, 0)
    assert.equal(row.finished_at, null)

    const again = await admin.follow(await admin.post(`/backoffice/admin/jobs/${jobId}/retry`))
    assert.match(again.body, /nicht mehr fehlgeschlagen/)
    assert.equal((await admin.post('/backoffice/admin/jobs/999999999/retry')).statusCode, 303)
  })

  it('keeps a failed job failed when another job with its key is already queued', async () => {
    const jobId = await failedJob()
    assert.equal(await enqueueJob(db(), { name: 'payments.reconcile', key: 'reconcile:p-9' }), true)
    const admin = await staffBrowser(platform, 'buergerdienste', 'caseworker', DEMO_ADMIN)
    await admin.get('/backoffice/admin/jobs')
    const res = await admin.follow(await admin.post(`/backoffice/admin/jobs/${jobId}/retry`))
    assert.match(res.body, /Ein gleichartiger Auftrag wartet bereits/)
    assert.equal((await jobRow(jobId)).status, 'failed')
  })
})
