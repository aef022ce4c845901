import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'

/** CR/LF (header splitting), NUL (PostgreSQL refuses it in text), broken percent-encoding and overlong UTF-8. */
const NASTY = ['%0d%0aSet-Cookie:%20pwned=1', '%00', 'a%0Ab', '%0D', '%E0%A4%A', '%c0%ae%c0%ae', '%25', '%ff']
const NASTY_TEXT = ['a\r\nSet-Cookie: pwned=1', 'a\u0000b', '\u0000', '\r', 'x\u0007\u001b[31m']

describe('malformed input answers 4xx, never 500', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    await platform.close()
  })

  it('refuses a malformed Origin header with 400 in the visitor’s language, and JSON in the machine context', async () => {
    const visitor = new TestBrowser(platform, 'en')
    await visitor.get('/kontakt')
    for (const origin of [
      'not a url',
      'http://',
      'http://[::1',
      '%',
      'https://a.example/path',
      'javascript:alert(1)',
    ]) {
      visitor.extraHeaders = { origin }
      const page = await visitor.post('/kontakt', { message: 'Die Laterne ist kaputt.' })
      assert.equal(page.statusCode, 400, origin)
      assert.match(page.body, /invalid origin \(Origin header\)/, origin)
      const api = await platform.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: { origin, 'content-type': 'application/json' },
        payload: '{}',
      })
      assert.equal(api.statusCode, 400, `API ${origin}`)
      assert.equal(api.json().code, 'errors.malformedOrigin')
    }
    const german = new TestBrowser(platform, 'de')
    german.extraHeaders = { origin: 'not a url' }
    assert.match((await german.get('/')).body, /ungültige Herkunft/)
    // Well-formed origins still get the cross-site check, not this one.
    visitor.extraHeaders = { origin: 'https://evil.example' }
    assert.equal((await visitor.post('/kontakt', { message: 'x' })).statusCode, 403)
    visitor.extraHeaders = { origin: 'null' }
    assert.notEqual((await visitor.post('/kontakt', { message: 'x' })).statusCode, 500)
    visitor.extraHeaders = { origin: 'http://localhost:80' }
    assert.ok((await visitor.post('/kontakt', { message: 'x' })).statusCode < 500)
  })

  it('answers CR/LF, NUL and broken encodings in paths and queries with 4xx or a normal page, never 500', async () => {
    const citizen = await citizenBrowser(platform)
    const staff = await staffBrowser(platform, 'buergerdienste')
    const urls = [
      '/maengel/{}',
      '/maengel/danke/{}',
      '/services/{}',
      '/language/{}',
      '/language/de?return={}',
      '/login?return={}',
      '/backoffice/login?return={}',
      '/services?q={}',
      '/maengel?status={}',
      '/maengel/in-der-naehe?lat={}&lon=7.4',
      '/maengel/vorschlag?text={}',
      '/verify-email?token={}',
      '/password/reset?token={}',
      '/kontakt/gesendet/{}',
      '/api/v1/services/{}',
      '/api/v1/services?q={}',
      '/open311/v2/requests.json?service_code={}',
      '/open311/v2/requests/{}.json',
      '/account/applications/{}',
      '/account/postbox?q={}',
      '/backoffice/cases/{}',
      '/backoffice/search?q={}',
      '/backoffice?status={}',
    ]
    for (const template of urls)
      for (const value of NASTY)
        for (const browser of [new TestBrowser(platform), citizen, staff]) {
          const url = template.replace('{}', value)
          const res = await browser.get(url)
          assert.ok(res.statusCode < 500, `GET ${url}: ${res.statusCode}`)
          for (const [name, header] of Object.entries(res.headers))
            assert.doesNotMatch(String(header), /[\r\n]/, `no header splitting in ${name} of ${url}`)
          assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /pwned/)
        }
  })

  it('answers CR/LF and NUL in form and JSON bodies with 4xx and the form, never 500', async () => {
    const visitor = new TestBrowser(platform)
    await visitor.get('/kontakt')
    const citizen = await citizenBrowser(platform)
    await citizen.get('/account/profile')
    for (const text of NASTY_TEXT) {
      const posts: [string, Promise<{ statusCode: number }>][] = [
        ['contact', visitor.post('/kontakt', { message: text, email: text, name: text })],
        ['login', visitor.post('/login', { email: text, password: text, return: text })],
        ['staff login', visitor.post('/backoffice/login', { email: text, password: text, return: text })],
        ['register', visitor.post('/register', { email: text, password: text, name: text })],
        ['password reset', visitor.post('/password/forgot', { email: text })],
        ['report', visitor.post('/maengel/melden', { description: text, email: text, lat: text, lon: text })],
        ['profile', citizen.post('/account/profile', { givenName: text, familyName: text, street: text })],
        [
          'API submission',
          platform.app.inject({
            method: 'POST',
            url: '/api/v1/applications',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify({ serviceId: text, answers: { name: text } }),
          }),
        ],
        [
          'Open311 request',
          platform.app.inject({
            method: 'POST',
            url: '/open311/v2/requests.json',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: `service_code=${encodeURIComponent(text)}&description=${encodeURIComponent(text)}`,
          }),
        ],
      ]
      for (const [label, pending] of posts) {
        const res = await pending
        assert.ok(
          res.statusCode >= 200 && res.statusCode < 500,
          `${label} with ${JSON.stringify(text)}: ${res.statusCode}`,
        )
      }
    }
  })
})
