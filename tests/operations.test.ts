import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, submitCase } from './support/casework.js'

describe('operations: liveness, readiness, request ids, metrics', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform({ metricsToken: 'scrape-secret-for-tests' })
  })
  after(async () => {
    await platform.close()
  })
  const get = (url: string, headers: Record<string, string> = {}) =>
    platform.app.inject({ method: 'GET', url, headers })

  it('answers liveness without the database, and readiness only with the database and every migration applied', async () => {
    assert.deepEqual((await get('/healthz')).json(), { status: 'ok' })
    const ready = await get('/readyz')
    assert.equal(ready.statusCode, 200)
    assert.deepEqual(ready.json(), { status: 'ready' })
    // An instance whose code brings a migration the database does not have yet is not ready.
    const newest = await platform.database.db
      .selectFrom('schema_migrations')
      .select('name')
      .orderBy('name', 'desc')
      .executeTakeFirstOrThrow()
    await platform.database.db.deleteFrom('schema_migrations').where('name', '=', newest.name).execute()
    try {
      const notReady = await get('/readyz')
      assert.equal(notReady.statusCode, 503)
      assert.deepEqual(notReady.json(), { status: 'migrations pending', pending: [newest.name] })
      assert.equal((await get('/healthz')).statusCode, 200, 'still alive')
    } finally {
      await platform.database.db.insertInto('schema_migrations').values({ name: newest.name }).execute()
    }
  })

  it('gives every response a request id, keeping a well-formed one from the proxy', async () => {
    const made = (await get('/healthz')).headers['x-request-id']
    assert.match(String(made), /^[0-9a-f-]{36}$/)
    assert.equal((await get('/', { 'x-request-id': 'lb-7f3a.42' })).headers['x-request-id'], 'lb-7f3a.42')
    const forged = (await get('/healthz', { 'x-request-id': 'x'.repeat(200) })).headers['x-request-id']
    assert.match(String(forged), /^[0-9a-f-]{36}$/, 'an overlong id is replaced')
  })

  it('serves Prometheus metrics only with the token: request durations per route, cases, jobs, overdue cases', async () => {
    const citizen = await citizenBrowser(platform)
    const { caseId } = await submitCase(platform, citizen, 'meldebescheinigung')
    // Past its deadline (three working days; a month covers any holidays on the way).
    platform.clock.advance(30 * 86_400_000)
    await get('/healthz')

    assert.equal((await get('/metrics')).statusCode, 403)
    assert.equal((await get('/metrics', { authorization: 'Bearer wrong' })).statusCode, 403)
    const res = await get('/metrics', { authorization: 'Bearer scrape-secret-for-tests' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/)
    const body = res.body
    assert.match(
      body,
      /bauhaus_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz",status="200"\} \d+/,
    )
    assert.match(
      body,
      /route="\/applications\/:draftId\/pages\/:pageId",status="200"/,
      'route patterns, not URLs with ids',
    )
    assert.doesNotMatch(body, new RegExp(caseId), 'no ids in labels')
    assert.match(body, /^bauhaus_cases_submitted [1-9]\d*$/m)
    assert.match(body, /^bauhaus_overdue_cases 1$/m)
    assert.match(body, /^bauhaus_jobs\{status="queued"\} \d+$/m)
    assert.match(body, /^bauhaus_jobs\{status="failed"\} 0$/m)
    assert.match(body, /^bauhaus_process_resident_memory_bytes \d+/m)
  })
})

describe('metrics without a token', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    await platform.close()
  })

  it('are served to a scraper on the same machine and refused through a proxy', async () => {
    // app.inject comes from 127.0.0.1, like a local scraper.
    assert.equal((await platform.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200)
    const proxied = await platform.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    })
    assert.equal(proxied.statusCode, 403)
  })
})
