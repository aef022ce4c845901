import { after, before, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { startTestPlatform, TestBrowser, samplePdf, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'
import { pageForm } from './support/autofill.js'
import { loadConfig } from '../src/platform/config.js'
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.js'
import { LiveHub } from '../src/platform/live/index.js'
import { buildApp } from '../src/app.js'
import { answerWithJson } from '../src/platform/http/error-policy.js'

const LIMIT = 20
const MAX_UPLOAD = 64 * 1024

// One platform for all (booting is most of the time): app.inject comes from 127.0.0.1, which is exempt, so the
// tests of the limit act from other addresses (X-Forwarded-For; trustProxy is on).
let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform({
    requestLimitPerMinute: LIMIT,
    requestLimitExempt: ['198.51.100.0/24', '127.0.0.1'],
    maxUploadBytes: MAX_UPLOAD,
  })
  // A route of its own in a context with the machine context's error policy, as an API route would be.
  await platform.app.register(async api => {
    api.setErrorHandler(answerWithJson)
    api.post('/api/test/echo', async req => ({ received: typeof req.body }))
  })
})
after(async () => {
  await platform.close()
})

/** Counts start afresh each minute: each test begins at the start of a new window of the platform's clock. */
function awayFromMinuteEnd() {
  platform.clock.advanceToNext(60_000)
}

describe('the general request limit', () => {
  beforeEach(() => awayFromMinuteEnd())
  const from = (app: FastifyInstance, address: string, url = '/', headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': address, ...headers } })
  async function flood(app: FastifyInstance, address: string, times: number) {
    const statuses: number[] = []
    for (let i = 0; i < times; i++) statuses.push((await from(app, address)).statusCode)
    return statuses
  }

  it('slows a flood from one address with 429, Retry-After and a message in both languages; another address and signed-in people behind it are served', async () => {
    const office = '203.0.113.50'
    // A citizen signed in earlier, sitting behind the same proxy address as the flood.
    const citizen = await citizenBrowser(platform)
    citizen.extraHeaders = { 'x-forwarded-for': office }
    assert.equal((await citizen.get('/')).statusCode, 200)

    const statuses = await flood(platform.app, office, LIMIT + 5)
    assert.deepEqual(
      statuses,
      [...Array(LIMIT - 1).fill(200), ...Array(6).fill(429)],
      "the citizen's first request counted for the address",
    )

    const page = await from(platform.app, office)
    assert.equal(page.statusCode, 429)
    const wait = Number(page.headers['retry-after'])
    assert.ok(wait >= 1 && wait <= 60, `Retry-After ${page.headers['retry-after']}`)
    assert.match(String(page.headers['content-type']), /text\/html/)
    assert.match(page.body, /Zu viele Anfragen/)
    assert.match(page.body, /Bitte warten Sie \d+ Sekunden/)
    assert.equal(page.headers['set-cookie'], undefined, 'no session is made for a refused request')
    const english = await from(platform.app, office, '/', { cookie: 'bauhaus_lang=en' })
    assert.equal(english.statusCode, 429)
    assert.match(english.body, /Too many requests/)
    assert.match(english.body, /Please wait \d+ seconds/)
    const api = await from(platform.app, office, '/api/v1/services')
    assert.equal(api.statusCode, 429)
    assert.ok(api.headers['retry-after'])
    assert.equal(api.json().code, 'errors.tooManyRequests')
    assert.match(api.json().message, /Zu viele|sehr viele Anfragen/)

    assert.equal((await from(platform.app, '203.0.113.51')).statusCode, 200, 'another address is served')
    assert.equal(
      (await citizen.get('/')).statusCode,
      200,
      'a person this instance knows to be signed in counts for themselves',
    )
    // A staff member whose session this instance has not seen behind that address yet: the session decides, not the address.
    const staff = await staffBrowser(platform, 'umweltamt')
    staff.extraHeaders = { 'x-forwarded-for': office }
    assert.equal((await staff.get('/backoffice')).statusCode, 200)
    assert.equal((await staff.get('/backoffice')).statusCode, 200)
    // An anonymous visitor with a session cookie is still one of the address.
    const visitor = new TestBrowser(platform)
    await visitor.get('/')
    visitor.extraHeaders = { 'x-forwarded-for': office }
    assert.equal((await visitor.get('/')).statusCode, 429)
  })

  it('counts a signed-in person on their own, up to the same limit', async () => {
    const citizen = await citizenBrowser(platform, 'info@baeckerei-beispiel.example')
    citizen.extraHeaders = { 'x-forwarded-for': '203.0.113.60' }
    const statuses: number[] = []
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await citizen.get('/')).statusCode)
    // The first request counted for the address (the session was new to the limiter), the rest for the person.
    assert.deepEqual(statuses, [...Array(LIMIT + 1).fill(200), 429])
  })

  it('shares the count between two instances on the same database', async () => {
    const second = await secondInstance(platform)
    try {
      const address = '203.0.113.70'
      assert.deepEqual(await flood(platform.app, address, 15), Array(15).fill(200))
      await platform.app.requestLimiter!.flush()
      assert.equal((await from(second.app, address)).statusCode, 200)
      await second.app.requestLimiter!.flush()
      // The second instance now knows the 16 of both; four more fit.
      assert.deepEqual(await flood(second.app, address, 5), [200, 200, 200, 200, 429])
      await second.app.requestLimiter!.flush()
      // The first learns the total with its next flush of the address.
      assert.equal((await from(platform.app, address)).statusCode, 200)
      await platform.app.requestLimiter!.flush()
      assert.equal((await from(platform.app, address)).statusCode, 429)
      const rows = (await platform.database.db
        .selectFrom('request_counts' as never)
        .select(['hits' as never])
        .execute()) as { hits: number }[]
      assert.ok(
        rows.some(r => r.hits === LIMIT + 1),
        JSON.stringify(rows),
      )
    } finally {
      await second.close()
    }
  })

  it('counts neither exempt address ranges nor health checks, metrics and static files', async () => {
    assert.deepEqual(await flood(platform.app, '198.51.100.7', LIMIT + 5), Array(LIMIT + 5).fill(200))
    const probe = '203.0.113.80'
    for (let i = 0; i < LIMIT + 5; i++) {
      for (const url of ['/healthz', '/readyz', '/assets/site.css', '/metrics'])
        assert.notEqual((await from(platform.app, probe, url)).statusCode, 429, url)
    }
    assert.equal((await from(platform.app, probe)).statusCode, 200)
  })

  it('keeps serving and counting when the database cannot take the counts, and writes them later', async () => {
    const db = platform.database.db
    const address = '203.0.113.90'
    await db.schema.alterTable('request_counts').renameTo('request_counts_away').execute()
    try {
      assert.deepEqual(await flood(platform.app, address, 5), Array(5).fill(200))
      await platform.app.requestLimiter!.flush()
      assert.equal((await from(platform.app, address)).statusCode, 200)
    } finally {
      await db.schema.alterTable('request_counts_away').renameTo('request_counts').execute()
    }
    await platform.app.requestLimiter!.flush()
    const rows = (await db
      .selectFrom('request_counts' as never)
      .select(['hits' as never])
      .execute()) as { hits: number }[]
    assert.ok(
      rows.some(r => r.hits === 6),
      JSON.stringify(rows),
    )
  })

  it('refuses wrong settings at the start with the variable and the value', () => {
    assert.equal(loadConfig({}).requestLimitPerMinute, 600)
    assert.deepEqual(loadConfig({ REQUEST_LIMIT_PER_MINUTE: '0' }).requestLimitPerMinute, 0)
    assert.throws(
      () => loadConfig({ REQUEST_LIMIT_PER_MINUTE: '-5' }),
      /Configuration error in REQUEST_LIMIT_PER_MINUTE/,
    )
    assert.throws(
      () => loadConfig({ REQUEST_LIMIT_PER_MINUTE: 'viele' }),
      /Configuration error in REQUEST_LIMIT_PER_MINUTE/,
    )
    assert.throws(
      () => loadConfig({ REQUEST_LIMIT_PER_MINUTE: '2.5' }),
      /Configuration error in REQUEST_LIMIT_PER_MINUTE/,
    )
    for (const wrong of ['10.0.0.0/33', 'intranet', '10.0.0/8', '2001:db8::/129', '10.0.0.0/8/1', '10.0.0.0/']) {
      assert.throws(
        () => loadConfig({ REQUEST_LIMIT_EXEMPT: `192.0.2.0/24,${wrong}` }),
        (e: Error) =>
          e.message.startsWith('Configuration error in REQUEST_LIMIT_EXEMPT') && e.message.includes(`"${wrong}"`),
      )
    }
    assert.deepEqual(
      loadConfig({ REQUEST_LIMIT_EXEMPT: ' 10.0.0.0/8, 192.0.2.7,2001:db8::/32 ,' }).requestLimitExempt,
      ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32'],
    )
    assert.deepEqual(loadConfig({}).trustedProxies, ['loopback', 'uniquelocal'])
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback, 10.20.0.0/16' }).trustedProxies, ['loopback', '10.20.0.0/16'])
    assert.throws(
      () => loadConfig({ TRUST_PROXY: 'loopback,everyone' }),
      (e: Error) => e.message.startsWith('Configuration error in TRUST_PROXY') && e.message.includes('"everyone"'),
    )
  })

  it('believes X-Forwarded-For only from a trusted proxy: a client on the internet cannot pick a new address per request', async () => {
    // Straight from a public address, each request claiming another origin: all count for the real address.
    const statuses: number[] = []
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await platform.app.inject({
        method: 'GET',
        url: '/',
        remoteAddress: '203.0.113.77',
        headers: { 'x-forwarded-for': `192.0.2.${i}` },
      })
      statuses.push(res.statusCode)
    }
    assert.equal(statuses.at(-1), 429, statuses.join(','))
    // Through the proxy on a private network, the header names the client.
    const viaProxy = await platform.app.inject({
      method: 'GET',
      url: '/',
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-for': '192.0.2.200' },
    })
    assert.equal(viaProxy.statusCode, 200)
  })
})

/** Another app instance on the same database: its own pool on a server, the same handle on PGlite. */
async function secondInstance(platform: TestPlatform): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const handle: DatabaseHandle = platform.config.databaseUrl
    ? await openDatabase({ databaseUrl: platform.config.databaseUrl, dataDir: 'unused' })
    : platform.database
  const live = await LiveHub.start(handle)
  const app = await buildApp({
    config: platform.config,
    clock: platform.clock,
    db: handle.db,
    services: platform.app.services,
    live,
    signers: platform.app.signers,
    logger: false,
  })
  return {
    app,
    close: async () => {
      await app.close()
      if (handle !== platform.database) await handle.close()
    },
  }
}

describe('requests over the size limits', () => {
  it('answers a JSON body over the body limit to the API with 413 and the message', async () => {
    const res = await platform.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) }),
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().code, 'FST_ERR_CTP_BODY_TOO_LARGE')
    assert.match(res.json().message, /zu groß/)
    assert.equal(
      (await platform.app.inject({ method: 'POST', url: '/api/test/echo', payload: { a: 1 } })).statusCode,
      200,
      'still serving',
    )
  })

  it('answers a form over the body limit with a 413 page', async () => {
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/maengel/melden')
    const res = await browser.post('/maengel/melden', { description: 'x'.repeat(1024 * 1024 + 10) })
    assert.equal(res.statusCode, 413)
    assert.match(String(res.headers['content-type']), /text\/html/)
    assert.match(res.body, /The data sent is too large/)
  })

  it("shows the application page again with the file's error and everything typed when a file is over the upload limit", async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/services/hundesteuer-anmeldung')
    const started = await browser.post('/services/hundesteuer-anmeldung/applications')
    const draftId = /\/applications\/([^/]+)\//.exec(String(started.headers.location))![1]!
    const def = platform.app.services.get('hundesteuer-anmeldung')
    const filled0 = pageForm(def.form.pages[0]!, {})
    assert.equal(
      (await browser.post(`/applications/${draftId}/pages/keeper`, { ...filled0.form, action: 'continue' })).statusCode,
      303,
    )
    await browser.get(`/applications/${draftId}/pages/dog`)
    const filled = pageForm(def.form.pages[1]!, filled0.answers, {
      dangerousDog: 'section3',
      dogName: 'Bello der Große',
    })
    const big = Buffer.concat([samplePdf, Buffer.alloc(MAX_UPLOAD * 2, 32)])
    const res = await browser.post(
      `/applications/${draftId}/pages/dog`,
      { ...filled.form, action: 'continue' },
      {
        files: [{ field: 'dangerousDogPermit', filename: 'riesig.pdf', content: big, contentType: 'application/pdf' }],
      },
    )
    assert.equal(res.statusCode, 413)
    assert.match(res.body, /ist zu groß/)
    assert.match(res.body, /value="Bello der Große"/, 'what was typed is kept')
    const files = await platform.database.db.selectFrom('files').select('id').where('draft_id', '=', draftId).execute()
    assert.deepEqual(files, [], 'nothing of the cut-off file is stored')
    assert.equal((await browser.get(`/applications/${draftId}/pages/dog`)).statusCode, 200, 'still serving')
  })

  it("shows the defect report form again with the photo's error and the description when a photo is over the upload limit", async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/maengel/melden')
    const form = {
      description: 'Schlagloch vor der Grundschule, etwa 30 cm tief.',
      category: 'street-light',
      address: 'Friedensplatz 1',
      lat: '51.513600',
      lon: '7.465300',
      action: 'submit',
    }
    const res = await browser.post('/maengel/melden', form, {
      files: [
        {
          field: 'photos',
          filename: 'schlagloch.jpg',
          content: Buffer.alloc(MAX_UPLOAD + 1, 1),
          contentType: 'image/jpeg',
        },
      ],
    })
    assert.equal(res.statusCode, 413)
    assert.match(res.body, /Das Foto „schlagloch.jpg“ ist größer als/)
    assert.match(res.body, /Schlagloch vor der Grundschule, etwa 30 cm tief\./)
    assert.match(res.body, /value="Friedensplatz 1"/)
  })

  it('refuses an over-large file with 413 on pages that do not show it at a field, and too many parts too', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    const login = await browser.post(
      '/login',
      { email: 'a@example.org', password: 'x' },
      { files: [{ field: 'attachment', filename: 'a.pdf', content: Buffer.alloc(MAX_UPLOAD + 1, 1) }] },
    )
    assert.equal(login.statusCode, 413)
    assert.match(login.body, /Die gesendeten Daten sind zu groß/)
    await browser.get('/maengel/melden')
    const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`f${i}`, 'x']))
    const parts = await browser.post('/maengel/melden', many, {
      files: [{ field: 'photos', filename: 'a.jpg', content: Buffer.from('x') }],
    })
    assert.equal(parts.statusCode, 413)
    assert.match(parts.body, /zu groß/)
    assert.equal((await browser.get('/maengel/melden')).statusCode, 200, 'still serving')
  })
})
