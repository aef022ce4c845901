import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { createServerDatabase } from './support/test-platform.js'
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.js'
import { migrate } from '../src/platform/db/migrate.js'
import { enqueueJob } from '../src/platform/jobs/index.js'

const serverUrl = process.env.DATABASE_URL

describe('job worker processes', () => {
  if (!serverUrl) {
    // The embedded database belongs to one process: the worker command says so instead of starting.
    it('refuses a separate worker process on the embedded database, saying why', () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], {
        env: { ...process.env, DATABASE_URL: '' },
        encoding: 'utf8',
      })
      assert.equal(run.status, 2)
      assert.match(run.stderr, /bauhaus worker needs a PostgreSQL server \(DATABASE_URL\)/)
    })
    return
  }

  let database: { url: string; drop(): Promise<void> }
  let handle: DatabaseHandle
  const children: ChildProcess[] = []
  before(async () => {
    database = await createServerDatabase(serverUrl)
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '' })
    await migrate(handle)
    await sql`create table worker_process_runs (job_id bigint not null, worker text not null, phase text not null, at timestamptz not null default clock_timestamp())`.execute(
      handle.db,
    )
  })
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    await handle.close()
    await database.drop()
  })

  async function startWorker(id: string, env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/worker-process.ts', id], {
      env: { ...process.env, DATABASE_URL: database.url, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(child)
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve()
      })
      child.once('exit', code => reject(new Error(`worker ${id} exited with ${code} before it was ready`)))
    })
    return child
  }
  async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
    const until = Date.now() + timeoutMs
    while (!(await check())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
      await sleep(50)
    }
  }
  const runs = async () =>
    (
      await sql<{
        job_id: number
        worker: string
        phase: string
      }>`select job_id, worker, phase from worker_process_runs order by at`.execute(handle.db)
    ).rows
  const jobsDone = async () =>
    (await handle.db.selectFrom('jobs').select('id').where('status', '=', 'done').execute()).length

  it('runs each of 200 jobs exactly once with two worker processes, and both stop cleanly on SIGTERM', async () => {
    for (let i = 0; i < 200; i++) await enqueueJob(handle.db, { name: 'test.record', payload: { ms: i % 5 } })
    const [one, two] = await Promise.all([startWorker('one'), startWorker('two')])
    await waitFor(async () => (await jobsDone()) === 200, '200 jobs done')
    const ends = (await runs()).filter(r => r.phase === 'end')
    assert.equal(ends.length, 200, 'one finished run per job')
    assert.equal(new Set(ends.map(r => r.job_id)).size, 200, 'no job ran twice')
    assert.deepEqual([...new Set(ends.map(r => r.worker))].sort(), ['one', 'two'], 'both processes took part')
    one.kill('SIGTERM')
    two.kill('SIGTERM')
    const [[codeOne], [codeTwo]] = await Promise.all([once(one, 'exit'), once(two, 'exit')])
    assert.deepEqual([codeOne, codeTwo], [0, 0])
  })

  it('finishes the job of a worker process killed with SIGKILL in another process once its lease runs out', async () => {
    await sql`delete from worker_process_runs`.execute(handle.db)
    await handle.db.deleteFrom('jobs').execute()
    await enqueueJob(handle.db, { name: 'test.record', payload: { ms: 1500 } })
    const doomed = await startWorker('doomed', { LEASE_SECONDS: '2' })
    await waitFor(
      async () => (await runs()).some(r => r.worker === 'doomed' && r.phase === 'start'),
      'the doomed worker to start the job',
    )
    doomed.kill('SIGKILL')
    await once(doomed, 'exit')
    const heir = await startWorker('heir', { LEASE_SECONDS: '2' })
    await waitFor(async () => (await jobsDone()) === 1, 'the job to be done', 20_000)
    assert.deepEqual(
      (await runs()).map(r => `${r.worker}:${r.phase}`),
      ['doomed:start', 'heir:start', 'heir:end'],
    )
    const job = await handle.db.selectFrom('jobs').select('attempts').executeTakeFirstOrThrow()
    assert.equal(job.attempts, 2, 'the killed run counts as an attempt')
    heir.kill('SIGTERM')
    assert.deepEqual(await once(heir, 'exit'), [0, null])
  })
})
