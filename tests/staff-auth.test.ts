import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { DEMO_ADMIN, DEMO_CITIZEN, demoStaffEmail } from '../src/seed.js'
import { hasRole, requireStaff, staffOfficeIds } from '../src/modules/staff/index.js'
import { linkifyMailText } from '../src/platform/mail/mail.routes.js'
import { queueMail } from '../src/platform/mail/mail.js'
import type { StaffMember } from '../src/platform/auth/sessions.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

const caseworker = demoStaffEmail('buergerdienste', 'caseworker')

async function staffLogin(browser: TestBrowser, email: string, password: string, returnTo?: string) {
  await browser.get('/backoffice/login')
  return browser.post('/backoffice/login', { email, password, ...(returnTo ? { return: returnTo } : {}) })
}

describe('staff login', () => {
  it('logs in a demo caseworker and sends them to the back office', async () => {
    const browser = new TestBrowser(platform)
    const page = await browser.get('/backoffice/login')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /kern-badge/, 'rendered in the back-office layout')
    const res = await browser.post('/backoffice/login', { email: caseworker, password: DEMO_PASSWORD })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/backoffice')
    const session = await platform.database.db
      .selectFrom('sessions')
      .innerJoin('staff', 'staff.id', 'sessions.staff_id')
      .select('staff.email')
      .where('staff.email', '=', caseworker)
      .execute()
    assert.equal(session.length, 1)
  })

  it('refuses a citizen at the staff login with the same message as a wrong password', async () => {
    const citizen = await staffLogin(new TestBrowser(platform), DEMO_CITIZEN, DEMO_PASSWORD)
    assert.equal(citizen.statusCode, 400)
    assert.match(citizen.body, /E-Mail-Adresse oder Passwort sind nicht richtig/)
    assert.match(citizen.body, new RegExp(`value="${DEMO_CITIZEN}"`))
    const wrong = await staffLogin(new TestBrowser(platform), caseworker, 'not-the-password')
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /id="error-summary"/)
  })

  it('answers missing fields with 400 and an error per field', async () => {
    const res = await staffLogin(new TestBrowser(platform), '', '')
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /href="#email"/)
    assert.match(res.body, /href="#password"/)
  })

  it('follows a local return path and ignores external ones', async () => {
    const local = await staffLogin(new TestBrowser(platform), caseworker, DEMO_PASSWORD, '/backoffice/cases?x=1')
    assert.equal(local.headers.location, '/backoffice/cases?x=1')
    const external = await staffLogin(new TestBrowser(platform), caseworker, DEMO_PASSWORD, '//evil.example')
    assert.equal(external.headers.location, '/backoffice')
  })

  it('refuses a POST without CSRF token with 403', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/backoffice/login')
    const res = await browser.post('/backoffice/login', { email: caseworker, password: DEMO_PASSWORD }, { csrf: false })
    assert.equal(res.statusCode, 403)
  })

  it('logs out and ends the staff session', async () => {
    const browser = new TestBrowser(platform)
    await staffLogin(browser, caseworker, DEMO_PASSWORD)
    await browser.get('/backoffice') // any back-office page carries the logout form
    const res = await browser.post('/backoffice/logout')
    assert.equal(res.statusCode, 303)
    const again = await browser.get('/backoffice/login')
    assert.equal(again.statusCode, 200, 'the login form shows again instead of redirecting')
  })
})

/** The session cookie a login answer sets, as a request header value. */
function sessionCookieOf(res: { cookies: { name: string; value: string }[] }): string {
  const cookie = res.cookies.find(c => c.name === 'bauhaus_session')
  assert.ok(cookie, 'the login sets a session cookie')
  return `bauhaus_session=${cookie.value}`
}

describe('requireStaff and roles', () => {
  async function guardedApp() {
    // The real sessions plugin behind the real guard, on routes of its own.
    const app = Fastify()
    const { requestLocalePlugin, sessionsPlugin } = await import('../src/platform/auth/sessions.js')
    const cookie = (await import('@fastify/cookie')).default
    const formbody = (await import('@fastify/formbody')).default
    await app.register(cookie)
    await app.register(formbody)
    await app.register(requestLocalePlugin)
    await app.register(sessionsPlugin, { db: platform.database.db, config: platform.config, clock: platform.clock })
    app.setErrorHandler(async (error: { statusCode?: number }, _req, reply) =>
      reply.code(error.statusCode ?? 500).send('refused'),
    )
    app.get('/csrf-token', async req => req.session?.csrfToken)
    await app.register(async scoped => {
      scoped.addHook('preHandler', requireStaff)
      scoped.get('/backoffice/secret', async req => `hello ${req.session?.staff?.email}`)
      scoped.post('/backoffice/secret', async () => 'changed')
    })
    return app
  }

  it('sends a visitor without staff session to the login for GET and refuses other methods with 403', async () => {
    const app = await guardedApp()
    const get = await app.inject({ method: 'GET', url: '/backoffice/secret?x=1' })
    assert.equal(get.statusCode, 303)
    assert.equal(get.headers.location, '/backoffice/login?return=%2Fbackoffice%2Fsecret%3Fx%3D1')
    const cookie = get.cookies.map(c => `${c.name}=${c.value}`).join('; ')
    const csrf = (await app.inject({ method: 'GET', url: '/csrf-token', headers: { cookie } })).body
    assert.ok(csrf, 'the anonymous session has its CSRF token')
    const post = await app.inject({
      method: 'POST',
      url: '/backoffice/secret',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrf}`,
    })
    assert.equal(post.statusCode, 403)
    await app.close()
  })

  it('lets a staff session through and refuses a citizen session', async () => {
    const app = await guardedApp()
    const staffCookie = sessionCookieOf(await staffLogin(new TestBrowser(platform), caseworker, DEMO_PASSWORD))
    const ok = await app.inject({ method: 'GET', url: '/backoffice/secret', headers: { cookie: staffCookie } })
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.body, `hello ${caseworker}`)

    const citizen = new TestBrowser(platform)
    await citizen.get('/login')
    const citizenCookie = sessionCookieOf(
      await citizen.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD }),
    )
    const refused = await app.inject({ method: 'GET', url: '/backoffice/secret', headers: { cookie: citizenCookie } })
    assert.equal(refused.statusCode, 303)
    await app.close()
  })

  it('knows the offices and roles of a staff member, without roles implying each other', () => {
    const lead: StaffMember = {
      id: 'x',
      email: 'tl@x',
      name: 'TL',
      roles: [
        { officeId: 'buergerdienste', role: 'team_lead' },
        { officeId: 'buergerdienste', role: 'caseworker' },
        { officeId: 'ordnungsamt', role: 'caseworker' },
      ],
    }
    assert.deepEqual(staffOfficeIds(lead).sort(), ['buergerdienste', 'ordnungsamt'])
    assert.equal(hasRole(lead, 'buergerdienste', 'team_lead'), true)
    assert.equal(hasRole(lead, 'ordnungsamt', 'team_lead'), false)
    const admin: StaffMember = {
      id: 'y',
      email: DEMO_ADMIN,
      name: 'A',
      roles: [{ officeId: 'buergerdienste', role: 'platform_admin' }],
    }
    assert.equal(hasRole(admin, 'buergerdienste', 'caseworker'), false)
  })
})

describe('dev mail viewer', () => {
  it('lists the outbox newest first with recipient and subject', async () => {
    await queueMail(platform.database.db, { to: 'first@example.org', subject: 'Erste Nachricht', text: 'eins' })
    await new Promise(r => setTimeout(r, 10))
    await queueMail(platform.database.db, { to: 'second@example.org', subject: 'Zweite <Nachricht>', text: 'zwei' })
    const res = await new TestBrowser(platform).get('/dev/mail')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /first@example\.org/)
    assert.match(res.body, /Zweite &lt;Nachricht>|Zweite &lt;Nachricht&gt;/)
    assert.ok(res.body.indexOf('second@example.org') < res.body.indexOf('first@example.org'), 'newest first')
  })

  it('shows one mail escaped, with only links to this platform clickable', async () => {
    const text =
      'Hallo <script>alert(1)</script>\nBestätigen: http://localhost:3000/verify-email?token=abc_DEF-1.\nFremd: https://evil.example/x\n'
    await queueMail(platform.database.db, { to: 'links@example.org', subject: 'Links', text })
    const row = await platform.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('recipient', '=', 'links@example.org')
      .executeTakeFirstOrThrow()
    const res = await new TestBrowser(platform).get(`/dev/mail/${row.id}`)
    assert.equal(res.statusCode, 200)
    assert.doesNotMatch(res.body, /<script>alert/)
    assert.match(res.body, /<a class="kern-link" href="http:\/\/localhost:3000\/verify-email\?token=abc_DEF-1">/)
    assert.doesNotMatch(res.body, /href="https:\/\/evil\.example/)
    assert.match(res.body, /https:\/\/evil\.example\/x/)
  })

  it('answers an unknown or malformed mail id with a 4xx page', async () => {
    const browser = new TestBrowser(platform)
    assert.equal((await browser.get('/dev/mail/00000000-0000-4000-8000-000000000000')).statusCode, 404)
    assert.equal((await browser.get('/dev/mail/not-a-uuid')).statusCode, 400)
  })

  it('makes only links of the base URL clickable, never look-alike hosts', () => {
    const parts = linkifyMailText(
      'a http://localhost:3000.evil.example/x b http://localhost:3000/ok c',
      'http://localhost:3000',
    )
    assert.deepEqual(
      parts.filter(p => p.href).map(p => p.href),
      ['http://localhost:3000/ok'],
    )
    assert.equal(parts.map(p => p.text).join(''), 'a http://localhost:3000.evil.example/x b http://localhost:3000/ok c')
  })
})
