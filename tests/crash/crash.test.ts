/**
 * `npm run test:crash`: submissions under load while the app is killed with SIGKILL several times, and (on a
 * PostgreSQL server) while the database server is shut down in immediate mode and started again. Afterwards every
 * submission a client saw acknowledged exists exactly once, nothing is half-written, and a retry with the same
 * Idempotency-Key returns the same case number. .ci/run runs it against the PostgreSQL server.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { createServerDatabase } from '../support/test-platform.js'
import { freePort, startAppProcess, type AppProcess } from '../support/app-process.js'
import { apiAnswers, shippedDefinition } from '../support/autofill.js'
import { startScratchPostgres } from './scratch-postgres.js'

const SERVICE = 'bewohnerparkausweis' // with uploads: an attachment must never outlive its case or lack one
const CLIENTS = 12
const definition = shippedDefinition(SERVICE)
const answers = apiAnswers(definition)

interface Submission {
  key: string
  email: string
  body: string
}
const newSubmission = (n: number): Submission => {
  const email = `crash-${n}-${crypto.randomBytes(3).toString('hex')}@example.org`
  return { key: crypto.randomUUID(), email, body: JSON.stringify({ answers: { ...answers, email } }) }
}

type Outcome =
  | { kind: 'acked'; reference: string; replayed: boolean }
  | { kind: 'unknown'; why: string }
  | { kind: 'refused'; status: number; body: string }

async function send(url: string, s: Submission): Promise<Outcome> {
  try {
    const res = await fetch(`${url}/api/v1/services/${SERVICE}/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': s.key },
      body: s.body,
      signal: AbortSignal.timeout(15_000),
    })
    const text = await res.text()
    if (res.status === 200 || res.status === 201) {
      const json = JSON.parse(text) as { reference: string; replayed: boolean }
      return { kind: 'acked', reference: json.reference, replayed: json.replayed }
    }
    // The app or the database went away mid-request: the client cannot know whether it landed, so it retries.
    if (res.status >= 500) return { kind: 'unknown', why: `${res.status}` }
    return { kind: 'refused', status: res.status, body: text }
  } catch (error) {
    return { kind: 'unknown', why: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * Clients submit new applications and retry the unanswered ones (same key, same body) while `disturb` runs; then every
 * unanswered one is retried until answered. Returns what the clients saw acknowledged: key → case number.
 */
async function submitUnderFire(url: () => string, disturb: () => Promise<void>) {
  const acked = new Map<string, { reference: string; submission: Submission }>()
  const retry: Submission[] = []
  const refused: string[] = []
  let unknowns = 0
  let n = 0
  let running = true
  const record = (s: Submission, outcome: Outcome) => {
    if (outcome.kind === 'acked') {
      const earlier = acked.get(s.key)
      if (earlier) assert.equal(outcome.reference, earlier.reference, 'a retry returned another case number')
      acked.set(s.key, { reference: outcome.reference, submission: s })
    } else if (outcome.kind === 'unknown') {
      unknowns++
      retry.push(s)
    } else refused.push(`${outcome.status} ${outcome.body}`)
  }
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (running) {
      const s = retry.shift() ?? newSubmission(n++)
      const outcome = await send(url(), s)
      record(s, outcome)
      if (outcome.kind === 'unknown') await sleep(200)
    }
  })
  await disturb()
  await sleep(1000)
  running = false
  await Promise.all(clients)
  const drainUntil = Date.now() + 90_000
  while (retry.length && Date.now() < drainUntil) {
    const s = retry.shift()!
    const outcome = await send(url(), s)
    record(s, outcome)
    if (outcome.kind === 'unknown') await sleep(200)
  }
  assert.deepEqual(refused, [], 'no submission may be refused')
  assert.equal(retry.length, 0, 'every unanswered submission is answered on retry')
  return { acked, unknowns, sent: n }
}

/** Every acknowledged submission once, nothing half-written, retries replayed. */
async function checkIntegrity(
  query: (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>,
  acked: Map<string, { reference: string; submission: Submission }>,
) {
  const references = [...acked.values()].map(a => a.reference)
  assert.equal(new Set(references).size, references.length, 'two submissions share a case number')
  const cases = await query(`select reference, applicant_email from cases where service_id = $1`, [SERVICE])
  assert.equal(cases.length, acked.size, 'exactly one case per acknowledged submission, no others')
  const byReference = new Map(cases.map(c => [c.reference as string, c.applicant_email as string]))
  for (const { reference, submission } of acked.values())
    assert.equal(byReference.get(reference), submission.email, `case ${reference} holds its own submission`)
  const halfWritten = await query(
    `
    select
      (select count(*) from cases c where not exists (select 1 from audit_log a where a.action = 'case.create' and a.subject_id = c.id::text))::int as without_audit,
      (select count(*) from cases c where not exists (select 1 from case_events e where e.case_id = c.id and e.kind = 'submitted'))::int as without_event,
      (select count(*) from cases c where not exists (select 1 from file_documents d where d.case_id = c.id and d.kind = 'submission'))::int as without_file_document,
      (select count(*) from cases c where c.applicant_email is not null and not exists (select 1 from mail_outbox m where m.recipient = c.applicant_email))::int as without_receipt,
      (select count(*) from files f where f.case_id is null)::int as attachments_without_case,
      (select count(*) from cases c where (select count(*) from files f where f.case_id = c.id) <> $1)::int as cases_missing_attachments,
      (select count(*) from submission_keys k where not exists (select 1 from cases c where c.draft_id = k.draft_id))::int as keys_without_case,
      (select count(*) from drafts d where d.case_id is null)::int as drafts_without_case`,
    [Object.values(answers).filter(v => typeof v === 'object' && v !== null && 'contentBase64' in v).length],
  )
  assert.deepEqual(halfWritten[0], {
    without_audit: 0,
    without_event: 0,
    without_file_document: 0,
    without_receipt: 0,
    attachments_without_case: 0,
    cases_missing_attachments: 0,
    keys_without_case: 0,
    drafts_without_case: 0,
  })
}

async function replaySome(url: string, acked: Map<string, { reference: string; submission: Submission }>) {
  for (const { reference, submission } of [...acked.values()].slice(0, 15)) {
    const outcome = await send(url, submission)
    assert.deepEqual(
      outcome,
      { kind: 'acked', reference, replayed: true },
      'a retry with the same key returns the same case number',
    )
  }
}

test('SIGKILL of the app under submission load loses nothing acknowledged and writes nothing twice or by halves', {
  timeout: 600_000,
}, async () => {
  const serverUrl = process.env.DATABASE_URL
  const database = serverUrl ? await createServerDatabase(serverUrl, 'bauhaus_crash') : undefined
  const dataDir = database ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-crash-'))
  const env = {
    REQUEST_LIMIT_PER_MINUTE: '0',
    UNVERIFIED_SUBMISSIONS_PER_HOUR: '0',
    ...(database ? { DATABASE_URL: database.url } : { DATABASE_URL: '', DATA_DIR: dataDir! }),
  }
  const port = await freePort()
  let app: AppProcess = await startAppProcess(env, { port })
  try {
    const kills: number[] = []
    const { acked, unknowns, sent } = await submitUnderFire(
      () => app.url,
      async () => {
        for (let i = 0; i < 4; i++) {
          const wait = 600 + Math.floor(Math.random() * 1400)
          await sleep(wait)
          kills.push(wait)
          await app.stop('SIGKILL')
          app = await startAppProcess(env, { port })
        }
      },
    )
    assert.equal(kills.length, 4)
    assert.ok(acked.size > 20, `only ${acked.size} submissions were acknowledged`)
    await replaySome(app.url, acked)
    process.stdout.write(
      `# ${sent} submissions, ${acked.size} acknowledged, ${unknowns} unanswered at first and retried, 4 SIGKILLs after ${kills.join(', ')} ms\n`,
    )
    if (database) {
      const client = new pg.Client({ connectionString: database.url })
      await client.connect()
      try {
        await checkIntegrity(async (sql, params) => (await client.query(sql, params)).rows, acked)
      } finally {
        await client.end()
      }
    } else {
      await app.stop('SIGTERM')
      const db = await PGlite.create(dataDir!)
      try {
        await checkIntegrity(async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows, acked)
      } finally {
        await db.close()
      }
    }
  } finally {
    await app.stop('SIGKILL')
    await database?.drop()
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  }
})

// The embedded database lives inside the app process: the SIGKILL test above is its crash. A server of its own is
// started for this test (initdb in a temporary directory), so the shared one in DATABASE_URL is never stopped.
if (process.env.DATABASE_URL)
  test('an immediate shutdown and restart of the PostgreSQL server under load loses nothing acknowledged', {
    timeout: 600_000,
  }, async () => {
    const server = await startScratchPostgres()
    const port = await freePort()
    const app = await startAppProcess(
      { REQUEST_LIMIT_PER_MINUTE: '0', UNVERIFIED_SUBMISSIONS_PER_HOUR: '0', DATABASE_URL: server.url },
      { port },
    )
    try {
      const { acked, unknowns, sent } = await submitUnderFire(
        () => app.url,
        async () => {
          for (let i = 0; i < 2; i++) {
            await sleep(800 + Math.floor(Math.random() * 1200))
            await server.restartImmediately()
          }
        },
      )
      assert.ok(acked.size > 20, `only ${acked.size} submissions were acknowledged`)
      const ready = await fetch(`${app.url}/readyz`)
      assert.equal(ready.status, 200, 'the app serves again without a restart of its own')
      await replaySome(app.url, acked)
      process.stdout.write(
        `# ${sent} submissions, ${acked.size} acknowledged, ${unknowns} unanswered at first and retried, 2 immediate database restarts\n`,
      )
      const client = new pg.Client({ connectionString: server.url })
      await client.connect()
      try {
        await checkIntegrity(async (sql, params) => (await client.query(sql, params)).rows, acked)
      } finally {
        await client.end()
      }
    } finally {
      await app.stop('SIGKILL')
      await server.destroy()
    }
  })
