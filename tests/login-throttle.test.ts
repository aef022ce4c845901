import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { DEMO_BUSINESS, DEMO_CITIZEN, demoStaffEmail } from '../src/seed.js'
import { MAX_FAILED_LOGINS } from '../src/platform/auth/login-throttle.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

async function guess(browser: TestBrowser, url: string, email: string, times: number) {
  for (let i = 0; i < times; i++) {
    const res = await browser.post(url, { email, password: `falsch-${i}-Passwort` })
    assert.equal(res.statusCode, 400)
  }
}

describe('slowing down password guessing', () => {
  it(`pauses portal sign-in for an address after ${MAX_FAILED_LOGINS} wrong passwords, even with the right one, and says for how long`, async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    await guess(browser, '/login', DEMO_BUSINESS, MAX_FAILED_LOGINS)
    const locked = await browser.post('/login', { email: DEMO_BUSINESS.toUpperCase(), password: DEMO_PASSWORD })
    assert.equal(locked.statusCode, 429)
    assert.match(locked.body, /Zu viele falsche Anmeldeversuche/)
    assert.match(locked.body, /value="INFO@BAECKEREI-BEISPIEL.EXAMPLE"/i, 'the typed address is kept')
    // Another address is not affected.
    const other = await browser.post('/login', { email: 'erika.mustermann@example.org', password: DEMO_PASSWORD })
    assert.equal(other.statusCode, 303)
  })

  it('lets sign-in through again after the delay, which doubles with each further failure', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/backoffice/login')
    const email = demoStaffEmail('umweltamt', 'caseworker')
    await guess(browser, '/backoffice/login', email, MAX_FAILED_LOGINS)
    const first = await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })
    assert.equal(first.statusCode, 429)
    assert.match(first.body, /in 1 Min\. wieder anmelden/)
    platform.clock.advance(60_000)
    await guess(browser, '/backoffice/login', email, 1)
    assert.match((await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })).body, /in 2 Min\./)
    platform.clock.advance(2 * 60_000)
    await guess(browser, '/backoffice/login', email, 1)
    assert.match((await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })).body, /in 4 Min\./)
    platform.clock.advance(4 * 60_000)
    assert.equal((await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })).statusCode, 303)
    const left = await platform.database.db
      .selectFrom('failed_logins')
      .select('login_key')
      .where('login_key', 'like', `staff:${email}%`)
      .execute()
    assert.deepEqual(left, [], 'a successful sign-in forgets the failures')
  })

  it('caps the delay, and says how long in English too', async () => {
    const browser = new TestBrowser(platform, 'en')
    browser.extraHeaders = { 'x-forwarded-for': '198.51.100.40' }
    await browser.get('/login')
    const email = 'max.mustermann@example.org'
    await guess(browser, '/login', email, MAX_FAILED_LOGINS)
    for (const minutes of [1, 2, 4, 8, 15, 15]) {
      const paused = await browser.post('/login', { email, password: 'still-wrong-1' })
      assert.equal(paused.statusCode, 429)
      assert.match(paused.body, new RegExp(`sign in again in ${minutes} min;`))
      platform.clock.advance(minutes * 60_000)
      await guess(browser, '/login', email, 1)
    }
  })

  it("does not lock the owner out: a stranger's failures delay the stranger, and the owner's own address at most briefly", async () => {
    platform.clock.advance(61 * 60_000) // earlier tests' failures are forgotten
    const stranger = new TestBrowser(platform)
    stranger.extraHeaders = { 'x-forwarded-for': '203.0.113.9' }
    await stranger.get('/login')
    await guess(stranger, '/login', DEMO_CITIZEN, MAX_FAILED_LOGINS)
    assert.equal((await stranger.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })).statusCode, 429)
    const owner = new TestBrowser(platform)
    owner.extraHeaders = { 'x-forwarded-for': '192.0.2.77' }
    await owner.get('/login')
    assert.equal(
      (await owner.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })).statusCode,
      303,
      'the owner, elsewhere, signs in at once',
    )

    // Many addresses guessing one account: the account-wide delay applies to everyone, but stays short.
    const target = DEMO_BUSINESS
    for (let i = 0; i < 20; i++) {
      const bot = new TestBrowser(platform)
      bot.extraHeaders = { 'x-forwarded-for': `198.51.100.${i + 100}` }
      await bot.get('/login')
      await guess(bot, '/login', target, 1)
    }
    const ownerOfTarget = new TestBrowser(platform)
    ownerOfTarget.extraHeaders = { 'x-forwarded-for': '192.0.2.78' }
    await ownerOfTarget.get('/login')
    const delayed = await ownerOfTarget.post('/login', { email: target, password: DEMO_PASSWORD })
    assert.equal(delayed.statusCode, 429)
    assert.match(delayed.body, /in 1 Min\./)
    platform.clock.advance(60_000)
    assert.equal((await ownerOfTarget.post('/login', { email: target, password: DEMO_PASSWORD })).statusCode, 303)
  })

  it('slows down one address trying many accounts', async () => {
    const browser = new TestBrowser(platform)
    browser.extraHeaders = { 'x-forwarded-for': '203.0.113.50' }
    await browser.get('/login')
    for (let i = 0; i < 20; i++) await guess(browser, '/login', `person${i}@example.org`, 1)
    const next = await browser.post('/login', { email: 'someone.else@example.org', password: 'x-y-z-123' })
    assert.equal(next.statusCode, 429, 'a fresh account name from that address waits too')
  })
})

describe('mail flooding', () => {
  it('sends at most five link mails an hour to one address, answering the page the same way', async () => {
    const { MAX_MAILS_PER_ADDRESS_PER_HOUR } = await import('../src/platform/mail/mail.js')
    const browser = new TestBrowser(platform)
    await browser.get('/password/forgot')
    for (let i = 0; i < MAX_MAILS_PER_ADDRESS_PER_HOUR + 3; i++) {
      const res = await browser.post('/password/forgot', { email: DEMO_BUSINESS })
      assert.equal(res.statusCode, 200)
    }
    const after = await platform.database.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('recipient', '=', DEMO_BUSINESS)
      .execute()
    assert.equal(after.length, MAX_MAILS_PER_ADDRESS_PER_HOUR, 'earlier mails to the address count too')
  })
})
