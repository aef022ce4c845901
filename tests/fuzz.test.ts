import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fc from 'fast-check'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { createApiKey } from '../src/modules/open311/index.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

/** Fills route parameters with a random uuid or word, so every route is reachable. */
// Ids get a random UUID, a payment provider the configured one (so its notify route is fuzzed), an Open311 format json, anything else a service id.
const concrete = (url: string) =>
  url
    .replace(/:(\w+)/g, (_, name: string) =>
      /[iI]d$/.test(name)
        ? crypto.randomUUID()
        : name === 'provider'
          ? 'sandbox'
          : name === 'format'
            ? 'json'
            : 'hundesteuer-anmeldung',
    )
    .replace('*', 'x')

const contentTypes = [
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/json',
  'text/plain',
  'application/octet-stream',
  '',
]

describe('random input to every POST route', () => {
  it('never answers 5xx, signed in or not, with or without a valid CSRF token', async () => {
    const posts = platform.app.routeList.filter(r => r.method === 'POST')
    assert.ok(posts.length >= 3, `only ${posts.length} POST routes`)
    const browser = new TestBrowser(platform)
    await browser.get('/services/hundesteuer-anmeldung')
    const csrf = browser.csrfToken()
    const failures: string[] = []
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...posts),
        fc.uint8Array({ maxLength: 600 }),
        fc.constantFrom(...contentTypes),
        fc.boolean(),
        async (route, bytes, contentType, withCsrf) => {
          const url = concrete(route.url)
          const payload =
            withCsrf && contentType.includes('urlencoded')
              ? Buffer.concat([Buffer.from(`_csrf=${csrf}&`), Buffer.from(bytes)])
              : Buffer.from(bytes)
          const cookie = (browser as unknown as { cookieHeader(): string }).cookieHeader()
          const res = await platform.app.inject({
            method: 'POST',
            url,
            payload,
            headers: { cookie, ...(contentType ? { 'content-type': contentType } : {}) },
          })
          if (res.statusCode >= 500)
            failures.push(`${route.url} ${contentType} → ${res.statusCode}: ${res.body.slice(0, 200)}`)
          return res.statusCode < 500
        },
      ),
      { numRuns: Math.max(200, posts.length * 25), seed: 20261126 },
    )
    assert.deepEqual(failures, [])
  })

  it('answers well-formed but wrong form fields on every POST route with 4xx or a redirect, never 5xx', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/services/hundesteuer-anmeldung')
    for (const route of platform.app.routeList.filter(r => r.method === 'POST')) {
      for (const form of [
        {},
        { transitionId: 'x'.repeat(5000) },
        { email: '\u0000', password: ['a', 'b'] },
        { action: 'continue', 'a.b.c': '%%%' },
      ]) {
        const res = await browser.post(concrete(route.url), form as Record<string, string | string[]>)
        assert.ok(res.statusCode < 500, `${route.url} ${JSON.stringify(form).slice(0, 60)} → ${res.statusCode}`)
      }
    }
  })

  it('answers random GET paths and query strings with 4xx, never 5xx', async () => {
    const gets = platform.app.routeList.filter(r => r.method === 'GET')
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...gets), fc.string({ maxLength: 80 }), async (route, junk) => {
        const url = `${concrete(route.url).replace(/[0-9a-f-]{36}/, encodeURIComponent(junk) || 'x')}?q=${encodeURIComponent(junk)}&cursor=${encodeURIComponent(junk)}&return=${encodeURIComponent(junk)}`
        const res = await platform.app.inject({ method: 'GET', url })
        return res.statusCode < 500
      }),
      { numRuns: 300, seed: 7 },
    )
  })
})

describe('random input to the Open311 API', () => {
  it('answers random bodies to POST /open311/v2/requests.json|xml, with a valid api_key or none, with 4xx and the error array, never 5xx', async () => {
    const db = platform.database.db
    const admin = await db
      .selectFrom('staff')
      .select(['id', 'email', 'name'])
      .where('email', '=', 'admin@stadt.example')
      .executeTakeFirstOrThrow()
    const { key } = await createApiKey(db, { ...admin, roles: [] }, 'Fuzz')
    const failures: string[] = []
    const field = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('51.5', '7.46', 'pothole', 'noise', '', '1e400', '-0', 'NaN', '\u0000', 'x'.repeat(5000)),
    )
    const form = fc.dictionary(
      fc.constantFrom(
        'service_code',
        'lat',
        'long',
        'address_string',
        'address_id',
        'description',
        'email',
        'first_name',
        'phone',
        'jurisdiction_id',
        'attribute[x]',
        'locale',
        'media_url',
        'api_key',
      ),
      field,
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('json', 'xml'),
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }).map(b => Buffer.from(b)),
          form.map(f => Buffer.from(new URLSearchParams(f).toString())),
        ),
        fc.constantFrom(...contentTypes),
        fc.boolean(),
        async (format, body, contentType, withKey) => {
          const payload =
            withKey && contentType.includes('urlencoded') ? Buffer.concat([Buffer.from(`api_key=${key}&`), body]) : body
          const res = await platform.app.inject({
            method: 'POST',
            url: `/open311/v2/requests.${format}`,
            payload,
            headers: contentType ? { 'content-type': contentType } : {},
          })
          const spec = res.statusCode < 500 && (res.statusCode === 200 || /^(\[|<\?xml)/.test(res.body))
          if (!spec) failures.push(`${format} ${contentType} → ${res.statusCode}: ${res.body.slice(0, 200)}`)
          return spec
        },
      ),
      { numRuns: 300, seed: 311 },
    )
    assert.deepEqual(failures, [])
  })
})
