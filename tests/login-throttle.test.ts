import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { DEMO_BUSINESS, demoStaffEmail } from '../src/seed.js'
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

  it('lets sign-in through again once the window has passed', async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/backoffice/login')
    const email = demoStaffEmail('umweltamt', 'caseworker')
    await guess(browser, '/backoffice/login', email, MAX_FAILED_LOGINS)
    assert.equal((await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })).statusCode, 429)
    platform.clock.advance(16 * 60_000)
    assert.equal((await browser.post('/backoffice/login', { email, password: DEMO_PASSWORD })).statusCode, 303)
    const left = await platform.database.db
      .selectFrom('failed_logins')
      .select('login_key')
      .where('login_key', '=', `staff:${email}`)
      .execute()
    assert.deepEqual(left, [], 'a successful sign-in forgets the failures')
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
