import crypto from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { samplePdf, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser, submitCase } from './support/casework.js'

/** The Content-Security-Policy every response carries (docs/security.md), directive by directive. */
const EXPECTED_CSP: Record<string, string> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  // The test platform's map tiles come from OpenStreetMap (MAP_TILE_URL's development default).
  'img-src': "'self' data: https://tile.openstreetmap.org",
  'font-src': "'self'",
  'connect-src': "'self'",
  'frame-ancestors': "'none'",
  'form-action': "'self'",
  'base-uri': "'none'",
  'object-src': "'none'",
}

function directives(header: unknown): Record<string, string> {
  return Object.fromEntries(
    String(header ?? '')
      .split(';')
      .map(part => part.trim())
      .filter(Boolean)
      .map(part => {
        const [name = '', ...sources] = part.split(/\s+/)
        return [name, sources.join(' ')]
      }),
  )
}

function assertSecurityHeaders(res: LightMyRequestResponse, label: string, csp = EXPECTED_CSP) {
  assert.deepEqual(directives(res.headers['content-security-policy']), csp, `CSP of ${label}`)
  assert.equal(res.headers['x-content-type-options'], 'nosniff', label)
  assert.equal(res.headers['x-frame-options'], 'DENY', label)
  assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin', label)
  assert.match(String(res.headers['permissions-policy']), /(^|, )geolocation=\(\)/, label)
  assert.match(String(res.headers['permissions-policy']), /camera=\(\), /, label)
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin', label)
}

/** What the CSP would block in a page: inline script, inline event handlers, style attributes, javascript: URLs. */
function assertNothingInline(html: string, label: string) {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `inline <script> in ${label}`)
  assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+\s*=/i, `inline event handler in ${label}`)
  assert.doesNotMatch(html, /<[a-z][^>]*\sstyle\s*=/i, `style attribute in ${label}`)
  assert.doesNotMatch(html, /<style[\s>]/i, `<style> element in ${label}`)
  assert.doesNotMatch(html, /(href|src|action)\s*=\s*"\s*javascript:/i, `javascript: URL in ${label}`)
}

describe('security headers on every response', () => {
  let platform: TestPlatform
  const ids: Record<string, string> = {}
  let visitor: TestBrowser
  let citizen: TestBrowser
  let staff: TestBrowser

  before(async () => {
    platform = await startTestPlatform()
    const db = platform.database.db
    citizen = await citizenBrowser(platform)
    const submitted = await submitCase(platform, citizen, 'hundesteuer-anmeldung', { dangerousDog: 'section3' })
    ids.caseId = submitted.caseId
    ids.fileId = (
      await db.selectFrom('files').select('id').where('case_id', '=', submitted.caseId).executeTakeFirstOrThrow()
    ).id
    ids.documentId = (
      await db
        .selectFrom('file_documents')
        .select('id')
        .where('case_id', '=', submitted.caseId)
        .executeTakeFirstOrThrow()
    ).id
    ids.version = '1'
    await citizen.get('/services/hundesteuer-anmeldung')
    const draft = await citizen.post('/services/hundesteuer-anmeldung/applications')
    ids.draftId = /\/applications\/([^/]+)\//.exec(String(draft.headers.location))![1]!
    ids.pageId = 'keeper'
    ids.serviceId = 'hundesteuer-anmeldung'
    ids.id = (await db.selectFrom('mail_outbox').select('id').executeTakeFirstOrThrow()).id
    ids.locale = 'en'
    ids.format = 'json'
    ids.service_code = 'hundesteuer-anmeldung'
    staff = await staffBrowser(platform, 'stadtkasse-steueramt')
    await staff.get(`/backoffice/cases/${submitted.caseId}`)
    visitor = new TestBrowser(platform)
    // A contact request, so its confirmation and the report pages have something to show.
    await visitor.get('/kontakt')
  })
  after(async () => {
    await platform.close()
  })

  it('walks every GET route as a visitor, a citizen and a caseworker: every answer carries the headers', async () => {
    // An event stream (…/live) never ends, so inject would wait for ever: those with ids are asked with unknown ones
    // (answered at once, through the same hooks); the one without ids is left out.
    const routes = platform.app.routeList.filter(
      route => route.method === 'GET' && !(route.url.endsWith('/live') && !route.url.includes(':')),
    )
    assert.ok(routes.length > 60, `${routes.length} GET routes`)
    const samples: string[] = []
    let htmlPages = 0
    for (const route of routes) {
      const live = route.url.endsWith('/live')
      const url = route.url
        .replace('*', route.url.startsWith('/assets/kern') ? 'kern.css' : 'site.css')
        .replace(/:([A-Za-z_]+)/g, (_match, name: string) => (!live && ids[name]) || crypto.randomUUID())
      for (const [who, browser] of [
        ['visitor', visitor],
        ['citizen', citizen],
        ['caseworker', staff],
      ] as const) {
        const res = await browser.get(url)
        const label = `${who} GET ${url} (${res.statusCode})`
        assert.ok(res.statusCode < 500, label)
        assertSecurityHeaders(res, label)
        assert.equal(res.headers['strict-transport-security'], undefined, `no HSTS outside production: ${label}`)
        if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/html')) {
          htmlPages++
          assertNothingInline(res.body, label)
        }
        samples.push(label)
      }
    }
    // Real pages, not only refusals: the walk reached the portal, the account and the back office.
    assert.ok(htmlPages >= 50, `${htmlPages} HTML pages rendered`)
    for (const page of ['/backoffice/cases/', '/account/applications/', '/services/hundesteuer-anmeldung', '/maengel'])
      assert.ok(
        samples.some(sample => sample.includes(page) && sample.endsWith('(200)')),
        `${page} was shown`,
      )
  })

  it('also on POST answers, error pages, unknown URLs, the machine context and static files', async () => {
    const answers: [string, LightMyRequestResponse][] = [
      ['unknown page', await visitor.get('/does-not-exist')],
      ['unknown API URL', await platform.app.inject({ method: 'GET', url: '/api/v1/nothing' })],
      ['unknown asset', await visitor.get('/assets/nothing.js')],
      ['a refused form', await visitor.post('/kontakt', {})],
      ['a POST without the token', await platform.app.inject({ method: 'POST', url: '/login', payload: {} })],
      ['a bad API request', await platform.app.inject({ method: 'POST', url: '/api/v1/applications', payload: {} })],
      ['liveness', await platform.app.inject({ method: 'GET', url: '/healthz' })],
      ['a static file', await visitor.get('/assets/site.css')],
      [
        'an upload refused',
        await citizen.post(
          `/applications/${ids.draftId}/pages/keeper`,
          {},
          { files: [{ field: 'x', filename: 'a.pdf', content: samplePdf, contentType: 'application/pdf' }] },
        ),
      ],
    ]
    for (const [label, res] of answers) assertSecurityHeaders(res, `${label} (${res.statusCode})`)
  })
})

describe('headers that depend on the configuration', () => {
  it('names the map tiles origin in img-src and sends HSTS where configured (production)', async () => {
    const platform = await startTestPlatform({
      mapTileUrl: 'https://{s}.tiles.stadt.example/osm/{z}/{x}/{y}.png',
      hstsMaxAge: 31_536_000,
    })
    try {
      const res = await new TestBrowser(platform).get('/maengel/melden')
      assertSecurityHeaders(res, 'report form', {
        ...EXPECTED_CSP,
        'img-src': "'self' data: https://*.tiles.stadt.example",
      })
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000')
    } finally {
      await platform.close()
    }
  })

  it('asks no other origin for tiles served by this site', async () => {
    const platform = await startTestPlatform({ mapTileUrl: '/tiles/{z}/{x}/{y}.png' })
    try {
      assertSecurityHeaders(await new TestBrowser(platform).get('/maengel/melden'), 'report form', {
        ...EXPECTED_CSP,
        'img-src': "'self' data:",
      })
    } finally {
      await platform.close()
    }
  })
})
