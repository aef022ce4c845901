import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { createServerDatabase } from '../tests/support/test-platform.js'
import { startAppProcess, type AppProcess } from '../tests/support/app-process.js'
import { apiAnswers, shippedDefinition } from '../tests/support/autofill.js'
import { elapsedMs, intFromEnv, ms, percentile, table } from './measure.js'

const SERVICE = 'fundtier-tierheim'

interface LoadResult {
  count: number
  errors: number
  perSecond: number
  p50: number
  p99: number
}

/** `clients` loops, each sending one request after the other until `seconds` have passed. */
async function runLoad(clients: number, seconds: number, send: (n: number) => Promise<boolean>): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  let next = 0
  const started = process.hrtime.bigint()
  const until = Date.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const t0 = process.hrtime.bigint()
        const ok = await send(next++).catch(() => false)
        latencies.push(elapsedMs(t0))
        if (!ok) errors++
      }
    }),
  )
  const took = elapsedMs(started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    count: latencies.length,
    errors,
    perSecond: (latencies.length - errors) / took,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  }
}

/**
 * Submission ingest: complete applications over HTTP (POST /api/v1/services/:id/applications: validation, case,
 * timeline entry, e-file document, audit row and receipt mail in one transaction) from 64 clients against the app
 * running as its own process, as `npm start` runs it. Baseline, same run and database engine: a bare single-row
 * JSONB INSERT of the same body into a one-table scratch schema, from the same number of clients.
 */
export async function benchIngest(): Promise<string> {
  const clients = intFromEnv('BENCH_INGEST_CLIENTS', 64)
  const seconds = intFromEnv('BENCH_INGEST_SECONDS', 20)
  const serverUrl = process.env.DATABASE_URL
  const definition = shippedDefinition(SERVICE)
  const answers = apiAnswers(definition, {}, false)
  const body = (n: number) => JSON.stringify({ answers: { ...answers, email: `ingest-${n}@example.org` } })
  const payloadBytes = Buffer.byteLength(body(0))
  // Instances serve without the shared request limit: all clients come from one address here.
  const env = { REQUEST_LIMIT_PER_MINUTE: '0', UNVERIFIED_SUBMISSIONS_PER_HOUR: '0', RUN_WORKER: 'true' }

  const submitTo = (instances: AppProcess[]) => async (n: number) => {
    const res = await fetch(`${instances[n % instances.length]!.url}/api/v1/services/${SERVICE}/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: body(n),
    })
    await res.arrayBuffer()
    return res.status === 201
  }

  const rows: string[][] = []
  let baseline: LoadResult
  let memory: string[][]
  const tempDirs: string[] = []
  try {
    if (serverUrl) {
      const database = await createServerDatabase(serverUrl, 'bauhaus_bench')
      try {
        const one = await startAppProcess({ ...env, DATABASE_URL: database.url })
        const idle = one.rssBytes()
        await runLoad(clients, 2, submitTo([one])) // warm-up: connections, compiled routes, caches
        const single = await runLoad(clients, seconds, submitTo([one]))
        const afterIngest = one.rssBytes()
        const two = await startAppProcess({ ...env, DATABASE_URL: database.url })
        await runLoad(clients, 2, submitTo([one, two]))
        const double = await runLoad(clients, seconds, submitTo([one, two]))
        await Promise.all([one.stop(), two.stop()])
        baseline = await serverBaseline(database.url, clients, seconds, body)
        rows.push(ingestRow('1 instance', single, baseline), ingestRow('2 instances (same 2 cores)', double, baseline))
        memory = [
          ['app RSS idle (after start)', mb(idle)],
          ['app RSS at the end of the 1-instance ingest run', mb(afterIngest)],
        ]
      } finally {
        await database.drop()
      }
    } else {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-bench-ingest-'))
      tempDirs.push(dataDir)
      const one = await startAppProcess({ ...env, DATABASE_URL: '', DATA_DIR: dataDir })
      const idle = one.rssBytes()
      await runLoad(clients, 2, submitTo([one]))
      const single = await runLoad(clients, seconds, submitTo([one]))
      const afterIngest = one.rssBytes()
      await one.stop()
      const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-bench-scratch-'))
      tempDirs.push(scratchDir)
      baseline = await pgliteBaseline(scratchDir, clients, seconds, body)
      rows.push(ingestRow('1 instance', single, baseline), [
        '2 instances',
        'n/a: the embedded database belongs to one process',
        '',
        '',
        '',
        '',
      ])
      memory = [
        ['app RSS idle (after start)', mb(idle)],
        ['app RSS at the end of the ingest run', mb(afterIngest)],
      ]
    }
  } finally {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
  }
  rows.push([
    'baseline: bare JSONB INSERT, one-table scratch schema',
    rate(baseline),
    ms(baseline.p50),
    ms(baseline.p99),
    String(baseline.errors),
    '1.00',
  ])
  const database = serverUrl ? 'PostgreSQL server' : 'PGlite (embedded, on disk)'
  return [
    `Submission ingest on ${database}: ${clients} clients, ${seconds} s per run, ${payloadBytes} bytes of JSON per submission (${SERVICE}, every field answered)`,
    '',
    table(['figure', 'submissions/s', 'p50', 'p99', 'errors', 'vs. baseline (throughput)'], rows),
    '',
    table(['memory', 'RSS'], memory),
    '',
  ].join('\n')
}

function ingestRow(name: string, r: LoadResult, baseline: LoadResult): string[] {
  return [
    `ingest, ${name}`,
    rate(r),
    ms(r.p50),
    ms(r.p99),
    String(r.errors),
    (r.perSecond / baseline.perSecond).toFixed(2),
  ]
}

const rate = (r: LoadResult) => r.perSecond.toFixed(0)
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

async function serverBaseline(
  url: string,
  clients: number,
  seconds: number,
  body: (n: number) => string,
): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: url, max: clients })
  try {
    await pool.query(
      'create schema if not exists bench_scratch; create table if not exists bench_scratch.submissions (id bigserial primary key, payload jsonb not null)',
    )
    return await runLoad(clients, seconds, async n => {
      await pool.query('insert into bench_scratch.submissions (payload) values ($1::jsonb)', [body(n)])
      return true
    })
  } finally {
    await pool.end()
  }
}

/** PGlite runs one statement at a time in its process; the clients queue for it as the app's requests do. */
async function pgliteBaseline(
  dataDir: string,
  clients: number,
  seconds: number,
  body: (n: number) => string,
): Promise<LoadResult> {
  const db = new PGlite(dataDir)
  try {
    await db.exec(
      'create schema bench_scratch; create table bench_scratch.submissions (id bigserial primary key, payload jsonb not null)',
    )
    return await runLoad(clients, seconds, async n => {
      await db.query('insert into bench_scratch.submissions (payload) values ($1::jsonb)', [body(n)])
      return true
    })
  } finally {
    await db.close()
  }
}
