import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { startTestPlatform, TestBrowser, DEMO_PASSWORD, type TestPlatform } from './support/test-platform.js'
import { apiAnswers, applyFor } from './support/autofill.js'
import { DEMO_CITIZEN } from '../src/seed.js'
import { MAX_MAILS_PER_ADDRESS_PER_HOUR, queueMail } from '../src/platform/mail/mail.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const mailsTo = (address: string) =>
  platform.database.db
    .selectFrom('mail_outbox')
    .select(['subject', 'body_text'])
    .where('recipient', '=', address)
    .orderBy('created_at')
    .execute()

const submitByApi = (answers: Record<string, unknown>) =>
  platform.app.inject({
    method: 'POST',
    url: '/api/v1/services/fundtier-tierheim/applications',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ answers, lang: 'en' }),
  })

describe('mails a person asked for', () => {
  it('still sends the reset link and the receipt to someone who has had many notifications this hour', async () => {
    for (let i = 0; i < MAX_MAILS_PER_ADDRESS_PER_HOUR * 2; i++) {
      await queueMail(platform.database.db, {
        to: DEMO_CITIZEN,
        subject: `Neue Nachricht ${i}`,
        text: 'Im Postfach liegt eine Nachricht.',
      })
    }
    const browser = new TestBrowser(platform)
    await browser.get('/password/forgot')
    const sent = await browser.post('/password/forgot', { email: DEMO_CITIZEN })
    assert.equal(sent.statusCode, 200)
    assert.ok(
      (await mailsTo(DEMO_CITIZEN)).some(m => m.body_text.includes('/password/reset?token=')),
      'the reset link is queued',
    )

    await browser.get('/login')
    assert.equal((await browser.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })).statusCode, 303)
    const { reference } = await applyFor(browser, platform.app.services.get('hundesteuer-anmeldung'))
    assert.ok(
      (await mailsTo(DEMO_CITIZEN)).some(m => m.subject.includes(reference)),
      'the receipt is queued',
    )
    assert.doesNotMatch(browser.lastHtml, /Keine Eingangsbestätigung/)
  })

  it("always sends the receipt to a signed-in account's own confirmed address, even past the quota", async () => {
    const browser = new TestBrowser(platform)
    await browser.get('/login')
    await browser.post('/login', { email: DEMO_CITIZEN, password: DEMO_PASSWORD })
    // Reset links are quota-bound: these fill the address's quota.
    for (let i = 0; i < MAX_MAILS_PER_ADDRESS_PER_HOUR; i++)
      await browser.post('/password/forgot', { email: DEMO_CITIZEN })
    const { reference } = await applyFor(browser, platform.app.services.get('hundesteuer-anmeldung'))
    assert.ok((await mailsTo(DEMO_CITIZEN)).some(m => m.subject.includes(reference)))
  })
})

describe('mails to an address typed into a form', () => {
  it(`sends at most ${MAX_MAILS_PER_ADDRESS_PER_HOUR} receipts an hour to one address through the API and says when it did not`, async () => {
    const definition = platform.app.services.get('fundtier-tierheim')
    const results: boolean[] = []
    for (let i = 0; i <= MAX_MAILS_PER_ADDRESS_PER_HOUR; i++) {
      // Another spelling of the same address opens no new quota.
      const res = await submitByApi(apiAnswers(definition, { email: i % 2 ? 'Flut@Example.org' : 'flut@example.org' }))
      assert.equal(res.statusCode, 201, res.body)
      results.push(res.json().receiptWithheld)
    }
    assert.deepEqual(results, [...Array<boolean>(MAX_MAILS_PER_ADDRESS_PER_HOUR).fill(false), true])
    assert.equal((await mailsTo('flut@example.org')).length, MAX_MAILS_PER_ADDRESS_PER_HOUR)
  })

  it('tells the applicant on the confirmation page that the receipt was not mailed, in German and English', async () => {
    const definition = platform.app.services.get('fundtier-tierheim')
    for (let i = 0; i < MAX_MAILS_PER_ADDRESS_PER_HOUR; i++)
      await submitByApi(apiAnswers(definition, { email: 'viel@example.org' }))
    const german = new TestBrowser(platform)
    await applyFor(german, definition, { email: 'viel@example.org' })
    assert.match(german.lastHtml, /Keine Eingangsbestätigung per E-Mail/)
    assert.match(german.lastHtml, /notieren Sie das Aktenzeichen/)
    const english = new TestBrowser(platform, 'en')
    await applyFor(english, definition, { email: 'viel@example.org' })
    assert.match(english.lastHtml, /No confirmation by email/)
    assert.equal((await mailsTo('viel@example.org')).length, MAX_MAILS_PER_ADDRESS_PER_HOUR)
  })

  it('names the hourly maximum on the reset page, whether or not the address has an account', async () => {
    const browser = new TestBrowser(platform, 'en')
    await browser.get('/password/forgot')
    const unknown = await browser.post('/password/forgot', { email: 'niemand@example.org' })
    const known = await browser.post('/password/forgot', { email: DEMO_CITIZEN })
    for (const res of [unknown, known])
      assert.match(res.body, new RegExp(`at most ${MAX_MAILS_PER_ADDRESS_PER_HOUR} such emails an hour`))
  })
})
