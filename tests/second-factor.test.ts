import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateSync } from 'otplib'
import { DEMO_PASSWORD, startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { DEMO_ADMIN, DEMO_OFFICE_ADMIN, demoStaffEmail } from '../src/seed.js'

/**
 * The staff second factor over HTTP: team leads must have one here (STAFF_SECOND_FACTOR_ROLES=team_lead), caseworkers
 * and admins may. Codes come from otplib at the platform's clock, as an authenticator app would show them.
 */
let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform({ staffSecondFactorRoles: ['team_lead'] })
})
after(async () => {
  await platform?.close()
})

/** The demo team lead, who must have a second factor here, and the demo caseworker, who may. */
const teamLead = demoStaffEmail('buergerdienste', 'team_lead')
const caseworker = demoStaffEmail('buergerdienste', 'caseworker')
const codeAt = (secret: string, offsetSeconds = 0) =>
  generateSync({ secret, epoch: Math.floor(platform.clock.now().getTime() / 1000) + offsetSeconds })

async function passwordStep(email: string) {
  const browser = new TestBrowser(platform)
  await browser.get('/backoffice/login')
  const res = await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })
  return { browser, res }
}

async function staffIdOf(email: string) {
  const row = await platform.database.db
    .selectFrom('staff')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

async function auditActions(email: string) {
  const rows = await platform.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('actor_staff_id', '=', await staffIdOf(email))
    .where('action', 'like', 'staff.%')
    .orderBy('id')
    .execute()
  return rows.map(r => r.action)
}

let secret = ''
let recoveryCodes: string[] = []

describe('staff second factor', () => {
  it('leads a team lead whose role requires a factor to enrolment, and the half sign-in opens no back-office route', async () => {
    const { browser, res } = await passwordStep(teamLead)
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/backoffice/login/enrol')
    const staffSessions = await platform.database.db
      .selectFrom('sessions')
      .select('id_hash')
      .where('staff_id', '=', await staffIdOf(teamLead))
      .execute()
    assert.equal(staffSessions.length, 0, 'no staff session before the second factor')

    const opened: string[] = []
    const routes = platform.app.routeList.filter(
      r =>
        r.url.startsWith('/backoffice') &&
        !r.url.startsWith('/backoffice/login') &&
        r.url !== '/backoffice/logout' &&
        r.url !== '/backoffice/involvements/live',
    )
    assert.ok(routes.length > 30, `${routes.length} back-office routes`)
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000')
      const answer = route.method === 'GET' ? await browser.get(url) : await browser.post(url, { note: 'x' })
      const toLogin = answer.statusCode === 303 && String(answer.headers.location).startsWith('/backoffice/login')
      if (!toLogin && ![400, 403, 404].includes(answer.statusCode))
        opened.push(`${route.method} ${route.url} → ${answer.statusCode}`)
    }
    assert.deepEqual(opened, [])
    // Still half signed in after the walk: the enrolment page is what it gets.
    const enrol = await browser.get('/backoffice/login/enrol')
    assert.equal(enrol.statusCode, 200)
  })

  it('enrols an authenticator app with a first code, refusing a wrong one, and shows ten recovery codes once', async () => {
    const { browser } = await passwordStep(teamLead)
    const page = await browser.get('/backoffice/login/enrol')
    assert.match(page.body, /<svg[^>]*viewBox/, 'QR code inline as SVG')
    secret = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)![1]!.replace(/ /g, '')
    assert.ok(secret.length >= 16)

    const wrong = await browser.post('/backoffice/login/enrol', {
      code: '000000' === codeAt(secret) ? '111111' : '000000',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /Dieser Code stimmt nicht/)
    assert.match(wrong.body, new RegExp(secret.slice(0, 4)), 'the same secret is offered again')

    const done = await browser.post('/backoffice/login/enrol', { code: codeAt(secret) })
    assert.equal(done.statusCode, 200)
    recoveryCodes = [...done.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map(m => m[1]!)
    assert.equal(recoveryCodes.length, 10)
    assert.equal(new Set(recoveryCodes).size, 10)
    assert.equal((await browser.get('/backoffice')).statusCode, 200, 'signed in after enrolment')
    const stored = await platform.database.db
      .selectFrom('staff_recovery_codes')
      .select('code_hash')
      .where('staff_id', '=', await staffIdOf(teamLead))
      .execute()
    assert.equal(stored.length, 10)
    assert.ok(
      stored.every(row => !recoveryCodes.some(code => row.code_hash.includes(code.slice(0, 5)))),
      'hashed',
    )
    assert.deepEqual(await auditActions(teamLead), ['staff.totp.enrol'])
  })

  it('asks for the code after the password, refuses a replayed code and accepts the next one', async () => {
    const { browser, res } = await passwordStep(teamLead)
    assert.equal(res.headers.location, '/backoffice/login/second-factor')
    const page = await browser.get('/backoffice/login/second-factor')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /autocomplete="one-time-code"/)
    // The code of enrolment's step counted already.
    const replay = await browser.post('/backoffice/login/second-factor', { method: 'totp', code: codeAt(secret) })
    assert.equal(replay.statusCode, 400)
    assert.match(replay.body, /schon verwendet/)
    platform.clock.advance(30_000)
    const next = await browser.post('/backoffice/login/second-factor', { method: 'totp', code: codeAt(secret) })
    assert.equal(next.statusCode, 303)
    assert.equal(next.headers.location, '/backoffice')
    assert.equal((await browser.get('/backoffice')).statusCode, 200)
  })

  it('accepts a code one step old (clock drift) but not two steps old', async () => {
    platform.clock.advance(90_000)
    const { browser } = await passwordStep(teamLead)
    const stale = await browser.post('/backoffice/login/second-factor', { method: 'totp', code: codeAt(secret, -60) })
    assert.equal(stale.statusCode, 400)
    assert.match(stale.body, /Dieser Code stimmt nicht/)
    const drifted = await browser.post('/backoffice/login/second-factor', { method: 'totp', code: codeAt(secret, -30) })
    assert.equal(drifted.statusCode, 303)
  })

  it('signs in with a recovery code once, and only once', async () => {
    const first = await passwordStep(teamLead)
    const used = await first.browser.post('/backoffice/login/second-factor', {
      method: 'recovery',
      code: recoveryCodes[0]!.toUpperCase().replace('-', ' '),
    })
    assert.equal(used.statusCode, 303)
    assert.equal((await first.browser.get('/backoffice')).statusCode, 200)
    const again = await passwordStep(teamLead)
    const refused = await again.browser.post('/backoffice/login/second-factor', {
      method: 'recovery',
      code: recoveryCodes[0]!,
    })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /unbekannt oder wurde schon verwendet/)
    assert.match(refused.body, /href="#recoveryCode"/)
    assert.ok((await auditActions(teamLead)).includes('staff.recovery.use'))
  })

  it('answers in English for an English session', async () => {
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/backoffice/login')
    await browser.post('/backoffice/login', { email: teamLead, password: DEMO_PASSWORD })
    const missing = await browser.post('/backoffice/login/second-factor', { method: 'totp', code: '' })
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Please enter the six-digit code/)
  })

  it('ends the half sign-in after five wrong codes, pausing the password too, and after ten minutes', async () => {
    const { browser } = await passwordStep(teamLead)
    let last = await browser.post('/backoffice/login/second-factor', { method: 'recovery', code: 'wrong-00001' })
    for (let i = 2; i <= 5; i++)
      last = await browser.post('/backoffice/login/second-factor', { method: 'recovery', code: `wrong-0000${i}` })
    assert.equal(last.statusCode, 429)
    assert.match(last.body, /Zu viele falsche Codes/)
    const after = await browser.get('/backoffice/login/second-factor')
    assert.equal(after.statusCode, 303)
    assert.equal(after.headers.location, '/backoffice/login')
    // The wrong codes counted as failed sign-ins: the password step pauses too, until the window has passed.
    assert.equal((await passwordStep(teamLead)).res.statusCode, 429)
    platform.clock.advance(16 * 60_000)

    const slow = await passwordStep(teamLead)
    platform.clock.advance(11 * 60_000)
    const expired = await slow.browser.post('/backoffice/login/second-factor', { method: 'totp', code: codeAt(secret) })
    assert.equal(expired.statusCode, 303)
    assert.equal(expired.headers.location, '/backoffice/login')
    assert.equal((await slow.browser.get('/backoffice')).statusCode, 303)
  })

  it('does not let a team lead remove the last factor their role requires; renewing codes voids the old ones', async () => {
    const { browser } = await passwordStep(teamLead)
    platform.clock.advance(30_000)
    await browser.post('/backoffice/login/second-factor', { method: 'totp', code: codeAt(secret) })
    const security = await browser.get('/backoffice/security')
    assert.equal(security.statusCode, 200)
    assert.match(security.body, /Noch 9 unbenutzte Wiederherstellungscodes/)
    const remove = await browser.post('/backoffice/security/totp/remove')
    assert.equal(remove.statusCode, 409)
    assert.match(remove.body, /Richten Sie zuerst einen anderen ein/)

    const renewed = await browser.post('/backoffice/security/recovery-codes')
    assert.equal(renewed.statusCode, 200)
    const fresh = [...renewed.body.matchAll(/<code>([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map(m => m[1]!)
    assert.equal(fresh.length, 10)
    const old = await passwordStep(teamLead)
    const refused = await old.browser.post('/backoffice/login/second-factor', {
      method: 'recovery',
      code: recoveryCodes[5]!,
    })
    assert.equal(refused.statusCode, 400)
    const works = await old.browser.post('/backoffice/login/second-factor', { method: 'recovery', code: fresh[0]! })
    assert.equal(works.statusCode, 303)
    assert.ok((await auditActions(teamLead)).includes('staff.recovery.regenerate'))
  })

  it('signs a caseworker in with the password alone, who may set up an app and remove it again', async () => {
    const { browser, res } = await passwordStep(caseworker)
    assert.equal(res.headers.location, '/backoffice')
    const enrol = await browser.get('/backoffice/security/totp')
    const ownSecret = /class="totp-secret">([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '')
    const done = await browser.post('/backoffice/security/totp', { code: codeAt(ownSecret) })
    assert.equal(done.statusCode, 200)
    assert.match(done.body, /Wiederherstellungscodes/)
    const again = await passwordStep(caseworker)
    assert.equal(again.res.headers.location, '/backoffice/login/second-factor', 'once set up, always asked')
    const removed = await browser.post('/backoffice/security/totp/remove')
    assert.equal(removed.statusCode, 303)
    assert.equal((await passwordStep(caseworker)).res.headers.location, '/backoffice')
    assert.deepEqual(await auditActions(caseworker), ['staff.totp.enrol', 'staff.totp.remove'])
  })

  it('lets an office admin reset a team lead’s lost factor, but not their own nor a platform admin’s', async () => {
    const { browser: admin } = await passwordStep(DEMO_OFFICE_ADMIN)
    await admin.get('/backoffice/admin/staff?office=buergerdienste')
    const leadId = await staffIdOf(teamLead)
    const reset = await admin.post(`/backoffice/admin/staff/${leadId}/second-factor/reset`, {
      officeId: 'buergerdienste',
    })
    assert.equal(reset.statusCode, 303)
    assert.match((await admin.follow(reset)).body, /Der zweite Faktor wurde zurückgesetzt/)
    assert.equal((await passwordStep(teamLead)).res.headers.location, '/backoffice/login/enrol')
    const own = await admin.post(`/backoffice/admin/staff/${await staffIdOf(DEMO_OFFICE_ADMIN)}/second-factor/reset`, {
      officeId: 'buergerdienste',
    })
    assert.equal(own.statusCode, 409)
    const platformAdmin = await admin.post(
      `/backoffice/admin/staff/${await staffIdOf(DEMO_ADMIN)}/second-factor/reset`,
      {
        officeId: 'buergerdienste',
      },
    )
    assert.ok([403, 404].includes(platformAdmin.statusCode), `${platformAdmin.statusCode}`)
    assert.deepEqual(await auditActions(DEMO_OFFICE_ADMIN), ['staff.secondFactor.reset'])
  })

  it('refuses a passkey answer that is not one (the browser test signs in with a real one)', async () => {
    const { browser } = await passwordStep(DEMO_OFFICE_ADMIN)
    const signedIn = await browser.get('/backoffice/security')
    assert.match(signedIn.body, /data-passkey="register"/)
    const bad = await browser.post('/backoffice/security/passkeys', { credential: '{"id":"x"}', name: 'Laptop' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /konnte nicht hinzugefügt werden/)
    const notJson = await browser.post('/backoffice/security/passkeys', { credential: 'not json' })
    assert.equal(notJson.statusCode, 400)
  })
})

describe('strong passwords', () => {
  it('refuses a common password at registration with zxcvbn’s reason, keeping what was typed', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/register')
    const res = await browser.post('/register', {
      kind: 'citizen',
      email: 'neu.person@example.org',
      givenName: 'Paula',
      familyName: 'Beispiel',
      password: 'Passwort123',
      passwordConfirm: 'Passwort123',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Dieses Passwort ist zu leicht zu erraten/)
    assert.match(res.body, /oft verwendeten Passwörtern/)
    assert.match(res.body, /value="neu.person@example.org"/)
    assert.match(res.body, /value="Paula"/)
  })

  it('counts the person’s own name as easy to guess, and explains in English', async () => {
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/register')
    const res = await browser.post('/register', {
      kind: 'citizen',
      email: 'paula.beispielhaft@example.org',
      givenName: 'Paula',
      familyName: 'Beispielhaft',
      password: 'paula.beispielhaft',
      passwordConfirm: 'paula.beispielhaft',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /This password is too easy to guess/)
    assert.match(res.body, /personal or page related data/)
  })

  it('refuses a keyboard row as a new staff member’s password, and accepts a passphrase', async () => {
    const { browser } = await passwordStep(DEMO_OFFICE_ADMIN)
    await browser.get('/backoffice/admin/staff?office=buergerdienste')
    const form = {
      name: 'Neue Kollegin',
      email: 'neu.kollegin@stadt.example',
      officeId: 'buergerdienste',
      role: 'caseworker',
    }
    const weak = await browser.post('/backoffice/admin/staff', { ...form, password: 'qwertzuiop' })
    assert.equal(weak.statusCode, 400)
    assert.match(weak.body, /Gerade Linien von Tasten/)
    assert.match(weak.body, /value="Neue Kollegin"/)
    const strong = await browser.post('/backoffice/admin/staff', { ...form, password: 'Kaffee mit drei Kollegen!' })
    assert.equal(strong.statusCode, 303)
  })
})
