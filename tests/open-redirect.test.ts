import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { safeReturnPath } from '../src/platform/http/return-path.js'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'
import { DEMO_CITIZEN, DEMO_PASSWORD } from '../src/seed.js'

/** The classic ways out of a "local path only" check: each must stay on this site. */
const BYPASSES = [
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/%09/evil.example',
  '/\t/evil.example',
  '/\r\n/evil.example',
  '/%0d%0a/evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '/%5Cevil.example',
  '/%255C%255Cevil.example',
  '%2F%2Fevil.example',
  '/../..//evil.example',
  '/./%2e%2e//evil.example',
  'https://evil.example',
  'https:evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '/\u0000/evil.example',
  '%E0%A4%A',
  'evil.example',
  ' //evil.example',
  '',
]

describe('safeReturnPath: a user-supplied return path becomes a path on this site or nothing', () => {
  it('refuses every classic bypass', () => {
    for (const bypass of BYPASSES) assert.equal(safeReturnPath(bypass), undefined, JSON.stringify(bypass))
    assert.equal(safeReturnPath(undefined), undefined)
    assert.equal(safeReturnPath(['/account']), undefined)
    assert.equal(safeReturnPath(`/${'a'.repeat(2001)}`), undefined)
  })

  it('keeps ordinary paths with their query and fragment', () => {
    assert.equal(safeReturnPath('/'), '/')
    assert.equal(safeReturnPath('/account/applications'), '/account/applications')
    assert.equal(safeReturnPath('/services?q=Hund&page=2#results'), '/services?q=Hund&page=2#results')
    assert.equal(safeReturnPath('/maengel/DO-2026-000123'), '/maengel/DO-2026-000123')
    assert.equal(safeReturnPath('/services?q=Stra%C3%9Fe'), '/services?q=Stra%C3%9Fe')
  })
})

describe('every redirect that takes a return path stays on this site', () => {
  let platform: TestPlatform
  before(async () => {
    platform = await startTestPlatform()
  })
  after(async () => {
    await platform.close()
  })

  /** Where a redirect lands, resolved as a browser would resolve it against the site. */
  const landing = (location: unknown) => {
    // A browser drops tabs and line breaks from the Location before resolving it.
    const url = new URL(String(location).replace(/[\t\n\r]/g, ''), 'https://service.stadt.example/here')
    return url
  }
  const assertStaysOnSite = (location: unknown, label: string) => {
    const url = landing(location)
    assert.equal(url.host, 'service.stadt.example', `${label} → ${String(location)}`)
    assert.ok(!url.pathname.startsWith('//'), `${label} → ${String(location)}`)
  }

  it('the language switch (/language/de?return=/%09/evil.example lands on the home page)', async () => {
    const visitor = new TestBrowser(platform)
    const tabbed = await visitor.get('/language/de?return=/%09/evil.example')
    assert.equal(tabbed.statusCode, 303)
    assert.equal(tabbed.headers.location, '/')
    for (const bypass of BYPASSES) {
      const res = await visitor.get(`/language/en?return=${encodeURIComponent(bypass)}`)
      assert.equal(res.statusCode, 303, bypass)
      assertStaysOnSite(res.headers.location, `language ${JSON.stringify(bypass)}`)
      assert.equal(res.headers.location, '/', JSON.stringify(bypass))
    }
    const kept = await visitor.get(`/language/en?return=${encodeURIComponent('/services?q=Hund')}`)
    assert.equal(kept.headers.location, '/services?q=Hund')
  })

  it('the citizen sign-in, after signing in and when already signed in', async () => {
    for (const bypass of BYPASSES) {
      const visitor = new TestBrowser(platform)
      const page = await visitor.get(`/login?return=${encodeURIComponent(bypass)}`)
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /name="return"/, 'no hidden field carries it on')
      const signedIn = await visitor.post('/login', {
        email: DEMO_CITIZEN,
        password: DEMO_PASSWORD,
        return: bypass,
      })
      assert.equal(signedIn.statusCode, 303, bypass)
      assertStaysOnSite(signedIn.headers.location, `login ${JSON.stringify(bypass)}`)
    }
    const citizen = await citizenBrowser(platform)
    for (const bypass of BYPASSES) {
      const res = await citizen.get(`/login?return=${encodeURIComponent(bypass)}`)
      assert.equal(res.statusCode, 303)
      assertStaysOnSite(res.headers.location, `signed-in login ${JSON.stringify(bypass)}`)
    }
    assert.equal((await citizen.get('/login?return=%2Faccount%2Fpostbox')).headers.location, '/account/postbox')
  })

  it('the staff sign-in, after signing in and when already signed in', async () => {
    const visitor = new TestBrowser(platform)
    await visitor.get('/backoffice/login')
    const signedIn = await visitor.post('/backoffice/login', {
      email: 'sb.buergerdienste@stadt.example',
      password: DEMO_PASSWORD,
      return: '/%09/evil.example',
    })
    assert.equal(signedIn.statusCode, 303)
    assertStaysOnSite(signedIn.headers.location, 'staff login')
    const staff = await staffBrowser(platform, 'buergerdienste')
    for (const bypass of BYPASSES) {
      const res = await staff.get(`/backoffice/login?return=${encodeURIComponent(bypass)}`)
      assert.equal(res.statusCode, 303)
      assertStaysOnSite(res.headers.location, `signed-in staff login ${JSON.stringify(bypass)}`)
    }
    assert.equal(
      (await staff.get('/backoffice/login?return=%2Fbackoffice%2Fsearch')).headers.location,
      '/backoffice/search',
    )
  })
})
