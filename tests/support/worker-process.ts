/**
 * A job-worker process for tests/worker-processes.test.ts: the platform's job worker (startJobWorker) on the
 * database in DATABASE_URL, with jobs that record every run in worker_process_runs. Stops on SIGTERM.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { openDatabase } from '../../src/platform/db/database.js'
import { defineJobs, startJobWorker } from '../../src/platform/jobs/index.js'

const workerId = process.argv[2] ?? `worker-${process.pid}`
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, dataDir: '' })
const record = (jobId: number, phase: string) =>
  sql`insert into worker_process_runs (job_id, worker, phase) values (${jobId}, ${workerId}, ${phase})`.execute(
    handle.db,
  )
const registry = defineJobs({
  'test.record': async (payload, ctx) => {
    await record(ctx.jobId, 'start')
    await sleep(Number(payload.ms ?? 0))
    await record(ctx.jobId, 'end')
  },
})
const worker = await startJobWorker(handle.db, registry, {
  log: {
    info: () => undefined,
    warn: () => undefined,
    error: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
  },
  workerId,
  pollMs: 25,
  concurrency: 4,
  leaseSeconds: Number(process.env.LEASE_SECONDS ?? 300),
})
process.stdout.write('ready\n')
process.once('SIGTERM', () => {
  void worker
    .stop()
    .then(() => handle.close())
    .then(() => process.exit(0))
})
