/**
 * Two app instances on two ports against one PostgreSQL server, every request sent to the other one in turn (a
 * round-robin load balancer): nothing lives in a process, so a person notices no difference. The embedded database
 * belongs to one process, so this runs on the server only.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { createServerDatabase, TestBrowser, DEMO_PASSWORD } from './support/test-platform.js'
import { startAppProcess, type AppProcess } from './support/app-process.js'
import { roundRobin } from './support/http-target.js'
import { fillDraft, shippedDefinition } from './support/autofill.js'
import { DEMO_CITIZEN, demoStaffEmail } from '../src/seed.js'
import { EXTRACT_TEXT_JOB } from '../src/modules/efile/index.js'

const serverUrl = process.env.DATABASE_URL
if (serverUrl)
  test('two instances serve one city: sign-in, draft, submission, inbox and jobs cross between them', {
    timeout: 300_000,
  }, async () => {
    const database = await createServerDatabase(serverUrl)
    const instances: AppProcess[] = []
    try {
      const env = {
        DATABASE_URL: database.url,
        SEED_DEMO_DATA: 'true',
        SEED_DEMO_CASES: 'false',
        REQUEST_LIMIT_PER_MINUTE: '0',
        UNVERIFIED_SUBMISSIONS_PER_HOUR: '0',
      }
      instances.push(await startAppProcess(env))
      instances.push(await startAppProcess(env))
      const urls = () => instances.map(i => i.url)

      // The citizen signs in on one instance and fills in the draft page by page, each request on the other instance.
      const citizenTarget = roundRobin(urls)
      const citizen = new TestBrowser(citizenTarget)
      await citizen.get('/login')
      const login = await citizen.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })
      assert.equal(login.statusCode, 303, 'sign-in')
      for (let i = 0; i < 2; i++)
        assert.match(
          (await citizen.get('/account/profile')).body,
          /Mustermann/,
          'the session from one instance is known to the other',
        )
      const definition = shippedDefinition('fundtier-tierheim')
      const { draftId } = await fillDraft(citizen, definition)
      const submitted = await citizen.follow(await citizen.post(`/applications/${draftId}/submit`))
      const reference = /class="case-reference"[^>]*>([^<]+)</.exec(submitted.body)?.[1]
      assert.ok(reference, 'the confirmation names the case number')
      assert.equal(new Set(citizenTarget.sentTo).size, 2, 'both instances served the citizen')

      // A caseworker of the office, also sent to both in turn, finds the case in the inbox and opens it.
      const caseworker = new TestBrowser(roundRobin(urls))
      await caseworker.get('/backoffice/login')
      assert.equal(
        (
          await caseworker.post('/backoffice/login', {
            email: demoStaffEmail('tierheim', 'caseworker'),
            password: DEMO_PASSWORD,
          })
        ).statusCode,
        303,
      )
      for (let i = 0; i < 2; i++) {
        const inbox = await caseworker.get('/backoffice')
        assert.ok(inbox.body.includes(reference), `the inbox on instance ${i + 1} shows ${reference}`)
        const caseId: string | undefined = new RegExp(
          `href="/backoffice/cases/([0-9a-f-]{36})"[^>]*>\\s*${reference}`,
        ).exec(inbox.body)?.[1]
        assert.ok(caseId, 'the inbox links the case')
        assert.equal((await caseworker.get(`/backoffice/cases/${caseId}`)).statusCode, 200)
      }

      // Jobs queued once are run once, by whichever instance claims them first. Enough of them that the second
      // instance polls (every second) before the first has worked through them all.
      const client = new pg.Client({ connectionString: database.url })
      await client.connect()
      try {
        const { rows } = await client.query<{ id: string }>(
          `insert into jobs (name, payload) select $1, jsonb_build_object('documentId', $2::text, 'version', 1) from generate_series(1, 600) returning id`,
          [EXTRACT_TEXT_JOB, crypto.randomUUID()],
        )
        const ids = rows.map(r => r.id)
        let done: { status: string; attempts: number; locked_by: string }[] = []
        for (let i = 0; i < 300; i++) {
          done = (
            await client.query('select status, attempts, locked_by from jobs where id = any($1::bigint[])', [ids])
          ).rows
          if (done.every(j => j.status === 'done')) break
          await sleep(200)
        }
        assert.ok(
          done.every(j => j.status === 'done' && j.attempts === 1),
          'every job done after exactly one run',
        )
        assert.equal(new Set(done.map(j => j.locked_by)).size, 2, 'both instances ran jobs')
      } finally {
        await client.end()
      }

      // Graceful shutdown: SIGTERM lets each instance finish and exit 0.
      for (const instance of instances.splice(0)) assert.equal(await instance.stop('SIGTERM'), 0)
    } finally {
      for (const instance of instances) await instance.stop('SIGKILL')
      await database.drop()
    }
  })
