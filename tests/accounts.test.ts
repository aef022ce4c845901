import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { DEMO_BUSINESS, DEMO_CITIZEN } from '../src/seed.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

let counter = 0
const uniqueEmail = (name: string) => `${name}.${Date.now()}.${++counter}@example.org`
const PASSWORD = 'correct horse battery staple'

async function mailsTo(email: string) {
  return platform.database.db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('recipient', '=', email)
    .orderBy('created_at', 'asc')
    .execute()
}

function linkIn(text: string, path: string): string {
  const match = new RegExp(`http://localhost:3000(${path.replace('/', '\\/')}\\?token=[A-Za-z0-9_-]+)`).exec(text)
  assert.ok(match, `no ${path} link in mail:\n${text}`)
  return match[1]!
}

async function register(browser: TestBrowser, email: string, extra: Record<string, string> = {}) {
  await browser.get('/register')
  return browser.post('/register', { kind: 'citizen', email, password: PASSWORD, passwordConfirm: PASSWORD, ...extra })
}

async function registerAndVerify(email: string) {
  const browser = new TestBrowser(platform)
  await register(browser, email)
  const [mail] = await mailsTo(email)
  const res = await browser.get(linkIn(mail!.body_text, '/verify-email'))
  assert.equal(res.statusCode, 303)
  return browser
}

async function login(browser: TestBrowser, email: string, password = PASSWORD, returnTo?: string) {
  await browser.get('/login')
  return browser.post('/login', { email, password, ...(returnTo === undefined ? {} : { return: returnTo }) })
}

describe('registration and e-mail confirmation', () => {
  it('registers, mails a confirmation link, confirms the address, logs in and saves the profile', async () => {
    const email = uniqueEmail('new')
    const browser = new TestBrowser(platform)
    const registered = await register(browser, email, { givenName: 'Mia', familyName: 'Neu' })
    assert.equal(registered.statusCode, 200)
    assert.match(registered.body, /E-Mail-Postfach/)

    const mails = await mailsTo(email)
    assert.equal(mails.length, 1)
    const verifyLink = linkIn(mails[0]!.body_text, '/verify-email')
    const stored = await platform.database.db.selectFrom('account_tokens').select('token_hash').execute()
    assert.ok(!stored.some(t => verifyLink.includes(t.token_hash)), 'only the hash of the token is stored')

    const verified = await browser.get(verifyLink)
    assert.equal(verified.statusCode, 303)
    assert.equal(verified.headers.location, '/login?notice=emailVerified')
    assert.equal((await browser.get(verifyLink)).statusCode, 400, 'a used link does not work twice')

    const loggedIn = await login(browser, email)
    assert.equal(loggedIn.statusCode, 303)
    assert.equal(loggedIn.headers.location, '/account/applications')

    await browser.get('/account/profile')
    const saved = await browser.post('/account/profile', {
      givenName: 'Mia',
      familyName: 'Neumann',
      birthDate: '1990-05-17',
      street: 'Hauptstraße',
      houseNumber: '3a',
      postalCode: '44135',
      city: 'Dortmund',
      phone: '+49 231 12345',
    })
    assert.equal(saved.statusCode, 303)
    const page = await browser.follow(saved)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /value="Neumann"/)
    assert.match(page.body, /value="1990-05-17"/)

    const account = await platform.database.db
      .selectFrom('accounts')
      .select(['id', 'locale'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    const audits = await platform.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.update')
      .where('subject_id', '=', account.id)
      .execute()
    assert.equal(audits.length, 1)
    assert.equal(audits[0]!.actor_account_id, account.id)
  })

  it('answers a registration with a taken address like any other and mails its holder a warning instead', async () => {
    const email = uniqueEmail('taken')
    const first = await register(new TestBrowser(platform), email)
    const second = await register(new TestBrowser(platform), email.toUpperCase())
    assert.equal(second.statusCode, first.statusCode)
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '').replace(new RegExp(email, 'gi'), '')
    assert.equal(strip(second.body), strip(first.body))
    const mails = await mailsTo(email)
    assert.equal(mails.length, 2)
    assert.match(mails[1]!.subject, /Jemand wollte/)
    assert.doesNotMatch(mails[1]!.body_text, /verify-email/)
  })

  it('writes mails in the language the person uses', async () => {
    const email = uniqueEmail('english')
    await register(new TestBrowser(platform, 'en'), email)
    const [mail] = await mailsTo(email)
    assert.equal(mail!.subject, 'Please confirm your email address')
  })

  it('re-renders the form with 400, the error summary and the typed input when values are wrong', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/register')
    const res = await browser.post('/register', {
      kind: 'business',
      email: 'not-an-address',
      password: 'short',
      passwordConfirm: 'short',
      givenName: '"><script>alert(1)</script>',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /id="error-summary"/)
    assert.match(res.body, /href="#email"/)
    assert.match(res.body, /href="#password"/)
    assert.match(res.body, /href="#companyName"/)
    assert.match(res.body, /value="not-an-address"/)
    assert.match(res.body, /value="&#34;>/, 'the typed value is kept, its quote escaped')
    assert.doesNotMatch(res.body, /value="">/)
  })

  it('refuses overlong and missing values with 400 instead of failing', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/register')
    const long = await browser.post('/register', {
      kind: 'citizen',
      email: `${'a'.repeat(5000)}@example.org`,
      password: PASSWORD,
      passwordConfirm: PASSWORD,
      familyName: 'x'.repeat(5000),
    })
    assert.equal(long.statusCode, 400)
    assert.match(long.body, /höchstens 200 Zeichen/)
    const empty = await browser.post('/register', {})
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /href="#kind"/)
  })

  it('shows a clear 400 page with a resend link for an invalid confirmation link', async () => {
    const browser = new TestBrowser(platform)
    for (const url of ['/verify-email', '/verify-email?token=abc', `/verify-email?token=${'A'.repeat(43)}`]) {
      const res = await browser.get(url)
      assert.equal(res.statusCode, 400, url)
      assert.match(res.body, /href="\/verify-email\/resend"/)
    }
  })

  it('sends a new confirmation link only for an unconfirmed account, answering the same for any address', async () => {
    const email = uniqueEmail('resend')
    await register(new TestBrowser(platform), email)
    const browser = new TestBrowser(platform)
    await browser.get('/verify-email/resend')
    const known = await browser.post('/verify-email/resend', { email })
    await browser.get('/verify-email/resend')
    const unknown = await browser.post('/verify-email/resend', { email: uniqueEmail('nobody') })
    assert.equal(known.statusCode, 200)
    assert.equal(unknown.statusCode, 200)
    assert.equal((await mailsTo(email)).length, 2)
    await browser.get('/verify-email/resend')
    await browser.post('/verify-email/resend', { email: DEMO_CITIZEN })
    assert.equal((await mailsTo(DEMO_CITIZEN)).length, 0, 'a confirmed account gets no link')
  })
})

describe('login', () => {
  it('logs in the demo citizen and sends them to their applications', async () => {
    const browser = new TestBrowser(platform)
    const res = await login(browser, DEMO_CITIZEN, DEMO_PASSWORD)
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/account/applications')
    const profile = await browser.get('/account/profile')
    assert.equal(profile.statusCode, 200)
    assert.match(profile.body, /value="Mustermann"/)
  })

  it('answers a wrong password with 400, a generic message and the typed e-mail kept', async () => {
    const browser = new TestBrowser(platform)
    const res = await login(browser, DEMO_CITIZEN, 'wrong-password-123')
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /id="error-summary"/)
    assert.match(res.body, /E-Mail-Adresse oder Passwort sind nicht richtig/)
    assert.match(res.body, new RegExp(`value="${DEMO_CITIZEN}"`))
    const unknown = await login(new TestBrowser(platform), uniqueEmail('ghost'), 'wrong-password-123')
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.body, /E-Mail-Adresse oder Passwort sind nicht richtig/)
  })

  it('refuses an account whose address is not confirmed yet and offers a new link', async () => {
    const email = uniqueEmail('unconfirmed')
    const browser = new TestBrowser(platform)
    await register(browser, email)
    const res = await login(browser, email)
    assert.equal(res.statusCode, 403)
    assert.match(res.body, /noch nicht bestätigt/)
    assert.match(res.body, /href="\/verify-email\/resend"/)
    assert.equal((await browser.get('/account/profile')).statusCode, 303)
  })

  it('follows a local return path but never an external one', async () => {
    assert.equal(
      (await login(new TestBrowser(platform), DEMO_CITIZEN, DEMO_PASSWORD, '/account/profile?x=1')).headers.location,
      '/account/profile?x=1',
    )
    for (const evil of [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      'evil.example',
    ]) {
      const res = await login(new TestBrowser(platform), DEMO_CITIZEN, DEMO_PASSWORD, evil)
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, '/account/applications', evil)
    }
    const page = await new TestBrowser(platform).get(`/login?return=${encodeURIComponent('//evil.example')}`)
    assert.doesNotMatch(page.body, /name="return"/)
  })

  it('sends visitors of the profile to the login and back afterwards', async () => {
    const browser = new TestBrowser(platform)
    const res = await browser.get('/account/profile')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/login?return=%2Faccount%2Fprofile')
    await browser.get(String(res.headers.location))
    assert.match(browser.lastHtml, /name="return" value="\/account\/profile"/)
    const loggedIn = await browser.post('/login', {
      email: DEMO_CITIZEN,
      password: DEMO_PASSWORD,
      return: '/account/profile',
    })
    assert.equal(loggedIn.headers.location, '/account/profile')
  })

  it('sets the language cookie from the account', async () => {
    const email = uniqueEmail('lang')
    const browser = await registerAndVerify(email)
    await platform.database.db.updateTable('accounts').set({ locale: 'en' }).where('email', '=', email).execute()
    const res = await login(browser, email)
    const cookie = (res.cookies as { name: string; value: string }[]).find(c => c.name === 'bauhaus_lang')
    assert.equal(cookie?.value, 'en')
  })

  it('keeps a language chosen before signing in and remembers it for the account', async () => {
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/login')
    const res = await browser.post('/login', { email: DEMO_BUSINESS, password: DEMO_PASSWORD })
    assert.equal(res.statusCode, 303)
    const page = await browser.get('/account/applications')
    assert.match(page.body, /<html lang="en">/)
    const row = await platform.database.db
      .selectFrom('accounts')
      .select('locale')
      .where('email', '=', DEMO_BUSINESS)
      .executeTakeFirstOrThrow()
    assert.equal(row.locale, 'en')
  })

  it('refuses a POST without CSRF token with 403', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    const res = await browser.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD }, { csrf: false })
    assert.equal(res.statusCode, 403)
    const wrong = await browser.post(
      '/login',
      { email: DEMO_CITIZEN, password: DEMO_PASSWORD },
      { csrf: 'x'.repeat(43) },
    )
    assert.equal(wrong.statusCode, 403)
  })

  it('logs out and forgets the session', async () => {
    const browser = new TestBrowser(platform)
    await login(browser, DEMO_CITIZEN, DEMO_PASSWORD)
    await browser.get('/account/profile')
    const res = await browser.post('/logout')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/')
    assert.equal((await browser.get('/account/profile')).statusCode, 303)
  })
})

describe('password reset', () => {
  it('sets a new password from the mailed link and ends every session of the account', async () => {
    const email = uniqueEmail('reset')
    await registerAndVerify(email)
    const oldSession = new TestBrowser(platform)
    await login(oldSession, email)
    assert.equal((await oldSession.get('/account/profile')).statusCode, 200)

    const browser = new TestBrowser(platform)
    await browser.get('/password/forgot')
    const requested = await browser.post('/password/forgot', { email })
    assert.equal(requested.statusCode, 200)
    const mails = await mailsTo(email)
    const link = linkIn(mails[mails.length - 1]!.body_text, '/password/reset')

    const form = await browser.get(link)
    assert.equal(form.statusCode, 200)
    const token = new URL(link, 'http://x').searchParams.get('token')!
    const mismatch = await browser.post('/password/reset', {
      token,
      password: 'a brand new secret',
      passwordConfirm: 'something else',
    })
    assert.equal(mismatch.statusCode, 400)
    assert.match(mismatch.body, /href="#passwordConfirm"/)
    const done = await browser.post('/password/reset', {
      token,
      password: 'a brand new secret',
      passwordConfirm: 'a brand new secret',
    })
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, '/login?notice=passwordChanged')

    assert.equal((await oldSession.get('/account/profile')).statusCode, 303, 'the old session is gone')
    assert.equal((await login(new TestBrowser(platform), email)).statusCode, 400, 'the old password no longer works')
    assert.equal((await login(new TestBrowser(platform), email, 'a brand new secret')).statusCode, 303)
    assert.equal((await browser.get(link)).statusCode, 400, 'the link works once')
  })

  it('answers the same for an unknown address and sends no mail', async () => {
    const email = uniqueEmail('unknown')
    const browser = new TestBrowser(platform)
    await browser.get('/password/forgot')
    const res = await browser.post('/password/forgot', { email })
    assert.equal(res.statusCode, 200)
    assert.equal((await mailsTo(email)).length, 0)
  })

  it('shows a 400 page for an invalid reset link', async () => {
    const browser = new TestBrowser(platform)
    const res = await browser.get('/password/reset?token=nonsense')
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /href="\/password\/forgot"/)
    await browser.get('/password/forgot')
    const post = await browser.post('/password/reset', {
      token: 'nonsense',
      password: PASSWORD,
      passwordConfirm: PASSWORD,
    })
    assert.equal(post.statusCode, 400)
  })
})

describe('profile', () => {
  it('re-renders with 400, each error linked to its field and the typed input kept', async () => {
    const browser = new TestBrowser(platform)
    await login(browser, DEMO_CITIZEN, DEMO_PASSWORD)
    await browser.get('/account/profile')
    const res = await browser.post('/account/profile', {
      givenName: 'Erika',
      familyName: 'Mustermann',
      birthDate: '2999-01-01',
      street: 'Friedensplatz',
      houseNumber: '1',
      postalCode: '4413',
      city: 'Dortmund',
      phone: 'call me',
    })
    assert.equal(res.statusCode, 400)
    for (const field of ['birthDate', 'postalCode', 'phone']) assert.match(res.body, new RegExp(`href="#${field}"`))
    assert.match(res.body, /value="4413"/)
    assert.match(res.body, /value="call me"/)
    const stored = await platform.database.db
      .selectFrom('accounts')
      .select('postal_code')
      .where('email', '=', DEMO_CITIZEN)
      .executeTakeFirstOrThrow()
    assert.equal(stored.postal_code, '44135')
  })

  it('refuses an impossible date and an address without a city', async () => {
    const browser = new TestBrowser(platform)
    await login(browser, DEMO_CITIZEN, DEMO_PASSWORD)
    await browser.get('/account/profile')
    const res = await browser.post('/account/profile', {
      birthDate: '1990-02-31',
      street: 'Weg',
      postalCode: '44135',
      city: '',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /href="#birthDate"/)
    assert.match(res.body, /href="#city"/)
  })

  it('refuses a POST to the profile without a session with 403', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    const res = await browser.post('/account/profile', { givenName: 'X' })
    assert.equal(res.statusCode, 403)
  })
})
