import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'
import { DEMO_CITIZEN, DEMO_BUSINESS, demoStaffEmail } from '../src/seed.js'
import { buildJobRegistry } from '../src/jobs.js'
import { EXPIRED_SESSION_REMEMBERED_MS, SWEEP_SESSIONS_JOB } from '../src/platform/auth/sessions.js'
import { RESUME_MINUTES } from '../src/platform/auth/session-resume.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const MINUTE = 60_000
const silent = { info() {}, warn() {}, error() {} }
const db = () => platform.database.db
const countSessions = async () =>
  Number(
    (
      await db()
        .selectFrom('sessions')
        .select(eb => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** The named inputs of the form with this action on a page, as a browser would send them. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`)
  assert.ok(start >= 0, `a form posting to ${action}`)
  const form = html.slice(start, html.indexOf('</form>', start))
  const fields: Record<string, string> = {}
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(tag)?.[1]
    if (!name || /type="(checkbox|radio|file)"/.test(tag)) continue
    fields[name] = /\bvalue="([^"]*)"/.exec(tag)?.[1] ?? ''
  }
  return fields
}

const unescapeHtml = (s: string) =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

describe('requests without a session cookie', () => {
  it('write no session row, for pages, forms and anonymous posts alike', async () => {
    const before = await countSessions()
    for (const url of ['/', '/login', '/services', '/backoffice/login', '/no/such/page']) {
      const res = await platform.app.inject({ method: 'GET', url })
      assert.ok(res.statusCode < 500, url)
    }
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    const wrong = await browser.post('/login', { email: DEMO_CITIZEN, password: 'nicht-das-Passwort' })
    assert.equal(wrong.statusCode, 400, 'an anonymous form is checked and answered without a row')
    assert.equal(await countSessions(), before)
  })

  it('still refuses a forged post: no token, a made-up one, or the token of another browser', async () => {
    const victim = new TestBrowser(platform)
    await victim.get('/login')
    const attacker = new TestBrowser(platform)
    await attacker.get('/login')
    const form = { email: DEMO_CITIZEN, password: DEMO_PASSWORD }
    assert.equal((await victim.post('/login', form, { csrf: false })).statusCode, 403)
    assert.equal((await victim.post('/login', form, { csrf: 'x'.repeat(43) })).statusCode, 403)
    const forged = await victim.post('/login', form, { csrf: attacker.csrfToken() })
    assert.equal(forged.statusCode, 403)
    assert.match(forged.body, /Das Formular ist abgelaufen oder stammt nicht von dieser Seite/)
    assert.equal((await victim.post('/login', form)).statusCode, 303, 'its own token works')
  })

  it('keeps anonymous drafts on the browser token, without a row, and moves them to the account at sign-in', async () => {
    const before = await countSessions()
    const browser = new TestBrowser(platform)
    await browser.get('/services/baumfaellung')
    const started = await browser.post('/services/baumfaellung/applications')
    assert.equal(started.statusCode, 303)
    const draftPage = String(started.headers.location)
    assert.equal((await browser.get(draftPage)).statusCode, 200, 'the browser finds its draft again')
    assert.equal((await new TestBrowser(platform).get(draftPage)).statusCode, 404, 'another browser does not')
    assert.equal(await countSessions(), before, 'no row for all that')
    const draftId = draftPage.split('/')[2]!
    await browser.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })
    const draft = await db()
      .selectFrom('drafts')
      .select('account_id')
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow()
    assert.ok(draft.account_id, 'signing in moved the draft to the account')
    assert.equal((await browser.get(draftPage)).statusCode, 200)
  })
})

describe('session lifetimes', () => {
  it('ends a staff session after 30 idle minutes, counting from the last request', async () => {
    const staff = await staffBrowser(platform, 'umweltamt')
    assert.equal((await staff.get('/backoffice')).statusCode, 200)
    platform.clock.advance(29 * MINUTE)
    assert.equal((await staff.get('/backoffice')).statusCode, 200, 'used again within the timeout')
    platform.clock.advance(29 * MINUTE)
    assert.equal((await staff.get('/backoffice')).statusCode, 200, 'the timeout counts from the last request')
    platform.clock.advance(31 * MINUTE)
    const expired = await staff.get('/backoffice')
    assert.equal(expired.statusCode, 303)
    assert.match(String(expired.headers.location), /^\/backoffice\/login\?return=/)
  })

  it('ends a staff session 12 hours after signing in, however active', async () => {
    const staff = await staffBrowser(platform, 'umweltamt')
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      platform.clock.advance(20 * MINUTE)
      assert.equal((await staff.get('/backoffice')).statusCode, 200, `active after ${minutes + 20} minutes`)
    }
    platform.clock.advance(21 * MINUTE)
    assert.equal((await staff.get('/backoffice')).statusCode, 303)
  })

  it('gives citizens 60 idle minutes', async () => {
    const citizen = await citizenBrowser(platform)
    platform.clock.advance(59 * MINUTE)
    assert.equal((await citizen.get('/account/profile')).statusCode, 200)
    platform.clock.advance(61 * MINUTE)
    assert.equal((await citizen.get('/account/profile')).statusCode, 303)
  })

  it('after expiry the browser is signed out but keeps its token: a form open in another tab signs in again', async () => {
    const email = demoStaffEmail('ordnungsamt', 'caseworker')
    const staff = await staffBrowser(platform, 'ordnungsamt')
    await staff.get('/backoffice')
    platform.clock.advance(31 * MINUTE)
    const again = await staff.post('/backoffice/login', { email, password: DEMO_PASSWORD })
    assert.equal(again.statusCode, 303, 'the token of the page from before the expiry is still accepted for signing in')
    const rows = await db()
      .selectFrom('sessions')
      .innerJoin('staff', 'staff.id', 'sessions.staff_id')
      .select('sessions.id_hash')
      .where('staff.email', '=', email)
      .execute()
    assert.equal(rows.length, 1, 'signing in again replaced the expired row')
  })

  it('writes last-seen at most once a minute', async () => {
    const citizen = await citizenBrowser(platform, DEMO_BUSINESS)
    const lastSeen = async () =>
      (
        await db()
          .selectFrom('sessions')
          .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
          .select('sessions.last_seen_at')
          .where('accounts.email', '=', DEMO_BUSINESS)
          .orderBy('sessions.created_at', 'desc')
          .executeTakeFirstOrThrow()
      ).last_seen_at.getTime()
    const first = await lastSeen()
    platform.clock.advance(20_000)
    await citizen.get('/account/profile')
    assert.equal(await lastSeen(), first, 'a request within the minute writes nothing')
    platform.clock.advance(45_000)
    await citizen.get('/account/profile')
    assert.ok((await lastSeen()) > first, 'a request after the minute moves it')
  })

  it('tells the page when the session ends, and "stay signed in" refreshes it', async () => {
    const staff = await staffBrowser(platform, 'umweltamt')
    const page = await staff.get('/backoffice')
    assert.match(page.body, /<dialog class="kern-dialog" id="session-expiry"/)
    assert.match(page.body, /data-idle-seconds="1800"/)
    assert.match(page.body, /data-ends-in-seconds="1[78]\d\d"/)
    assert.match(page.body, /<script src="\/assets\/session-expiry.js" defer><\/script>/)
    platform.clock.advance(28 * MINUTE)
    const refreshed = await staff.post('/session/refresh')
    assert.equal(refreshed.statusCode, 204)
    platform.clock.advance(28 * MINUTE)
    assert.equal((await staff.get('/backoffice')).statusCode, 200, 'alive 56 minutes after the page, thanks to refresh')
    const anonymous = new TestBrowser(platform)
    const home = await anonymous.get('/login')
    assert.doesNotMatch(home.body, /session-expiry/, 'no warning for nobody')
    assert.equal((await anonymous.post('/session/refresh')).statusCode, 401)
  })
})

describe('a form sent after the session expired', () => {
  it('is kept, and after signing in again is sent with one button, what was typed filled in', async () => {
    const citizen = await citizenBrowser(platform)
    const page = await citizen.get('/account/profile')
    const { _csrf, ...shown } = formFields(page.body, '/account/profile')
    const typed = { ...shown, street: 'Neue Straße 5' }
    platform.clock.advance(61 * MINUTE)
    const expired = await citizen.post('/account/profile', typed)
    assert.equal(expired.statusCode, 401)
    assert.match(expired.body, /Ihre Sitzung ist abgelaufen/)
    assert.match(expired.body, new RegExp(`${RESUME_MINUTES} Minuten lang aufbewahrt`))
    const signIn = /href="(\/login\?return=[^"]+)"/.exec(expired.body)?.[1]
    assert.ok(signIn, 'the page links to signing in with the way back')
    const kept = await db()
      .selectFrom('session_resumes')
      .selectAll()
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(Object.fromEntries(kept.fields), typed, 'the fields, without the CSRF token')
    const street = await db()
      .selectFrom('accounts')
      .select('street')
      .where('email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    assert.notEqual(street.street, 'Neue Straße 5', 'nothing was changed by the expired session')

    // Someone else signing in on another browser cannot see it.
    const other = await citizenBrowser(platform, DEMO_BUSINESS)
    const resumePath = decodeURIComponent(signIn.split('return=')[1]!)
    assert.equal((await other.get(resumePath)).statusCode, 404)

    const loginPage = await citizen.get(unescapeHtml(signIn))
    assert.equal(loginPage.statusCode, 200)
    const back = await citizen.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD, return: resumePath })
    assert.equal(back.statusCode, 303)
    assert.equal(back.headers.location, resumePath)
    const resume = await citizen.get(resumePath)
    assert.equal(resume.statusCode, 200)
    assert.match(resume.body, /Ihre Eingaben sind noch da/)
    assert.match(resume.body, /name="street" value="Neue Straße 5"/)
    const { _csrf: freshToken, ...again } = formFields(resume.body, '/account/profile')
    const sent = await citizen.post('/account/profile', again, { csrf: freshToken })
    assert.equal(sent.statusCode, 303)
    const saved = await db()
      .selectFrom('accounts')
      .select('street')
      .where('email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    assert.equal(saved.street, 'Neue Straße 5')
  })

  it('is kept for staff too, leaves passwords out and says that files must be chosen again', async () => {
    const staff = await staffBrowser(platform, 'umweltamt')
    await staff.get('/backoffice')
    platform.clock.advance(31 * MINUTE)
    const expired = await staff.post(
      '/backoffice/cases/00000000-0000-4000-8000-000000000000/claim',
      { body: 'Vermerk, lange getippt', password: 'geheim' },
      { files: [{ field: 'attachment', filename: 'a.txt', content: Buffer.from('x') }] },
    )
    assert.equal(expired.statusCode, 401)
    const signIn = /href="(\/backoffice\/login\?return=[^"]+)"/.exec(expired.body)?.[1]
    assert.ok(signIn, 'staff sign in at the back office')
    const kept = await db()
      .selectFrom('session_resumes')
      .selectAll()
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(kept.fields, [['body', 'Vermerk, lange getippt']])
    assert.equal(kept.files_dropped, 1)
    assert.equal(kept.multipart, true)
    const resumePath = decodeURIComponent(signIn.split('return=')[1]!)
    const back = await staff.post('/backoffice/login', {
      email: demoStaffEmail('umweltamt', 'caseworker'),
      password: DEMO_PASSWORD,
      return: resumePath,
    })
    assert.equal(back.headers.location, resumePath)
    const resume = await staff.get(resumePath)
    assert.match(resume.body, /Dateien bitte erneut auswählen/)
    assert.match(resume.body, /enctype="multipart\/form-data"/)
    platform.clock.advance((RESUME_MINUTES + 1) * MINUTE)
    await staff.get('/backoffice')
    assert.equal((await staff.get(resumePath)).statusCode, 404, 'gone after its time')
  })
})

describe('the sweep', () => {
  it('deletes sessions some hours after they ended and keeps the living ones', async () => {
    const registry = buildJobRegistry({
      db: db(),
      config: platform.config,
      services: platform.app.services,
      log: silent,
    })
    assert.ok(
      registry.schedules.some(s => s.name === SWEEP_SESSIONS_JOB),
      'the sweep is a recurring job',
    )
    const idle = await citizenBrowser(platform)
    await idle.get('/account/profile')
    platform.clock.advance(61 * MINUTE + EXPIRED_SESSION_REMEMBERED_MS)
    const living = await staffBrowser(platform, 'umweltamt')
    const before = await countSessions()
    const sweep = registry.handlers.get(SWEEP_SESSIONS_JOB)!
    await sweep({}, { db: db(), log: silent, attempt: 1, jobId: 0, clock: platform.clock })
    const left = await db().selectFrom('sessions').select(['account_id', 'staff_id', 'last_seen_at']).execute()
    assert.ok(left.length < before, 'expired rows went')
    assert.ok(left.length >= 1 && left.some(r => r.staff_id), 'the living staff session stays')
    const now = platform.clock.now().getTime()
    for (const row of left)
      assert.ok(now - row.last_seen_at.getTime() < EXPIRED_SESSION_REMEMBERED_MS + 12 * 3600_000, 'none long dead')
    assert.equal((await living.get('/backoffice')).statusCode, 200)
  })
})
