import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { createChallenge } from 'altcha-lib/v1'
import { loadConfig } from '../src/platform/config.js'
import { forgetProofsOfWork } from '../src/platform/http/proof-of-work.js'
import { startTestPlatform, TestBrowser, type TestPlatform } from './support/test-platform.js'
import { apiAnswers, fillDraft } from './support/autofill.js'
import { citizenBrowser } from './support/casework.js'
import { PRODUCTION_ENV } from './support/production-env.js'

const LIMIT = 2
let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform({ unverifiedSubmissionsPerHour: LIMIT, requestLimitExempt: ['198.51.100.0/24'] })
})
after(async () => {
  await platform?.close()
})

interface Challenge {
  algorithm: string
  challenge: string
  maxnumber: number
  salt: string
  signature: string
}

/** What public/altcha.js does in the browser: find the number, send everything back as base64 JSON. */
function solve(c: Challenge, tamper: Partial<{ number: number; signature: string }> = {}): string {
  for (let number = 0; number <= c.maxnumber; number++) {
    if (
      crypto
        .createHash('sha256')
        .update(c.salt + number)
        .digest('hex') === c.challenge
    ) {
      return Buffer.from(
        JSON.stringify({
          algorithm: c.algorithm,
          challenge: c.challenge,
          number,
          salt: c.salt,
          signature: c.signature,
          took: 1,
          ...tamper,
        }),
      ).toString('base64')
    }
  }
  throw new Error('unsolvable challenge')
}

async function freshSolution(): Promise<string> {
  const res = await platform.app.inject({ method: 'GET', url: '/altcha/challenge' })
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['cache-control'], 'no-store')
  return solve(res.json() as Challenge)
}

let address = 10
const submit = (headers: Record<string, string> = {}) => {
  const definition = platform.app.services.get('fundtier-tierheim')
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/services/fundtier-tierheim/applications',
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
    payload: JSON.stringify({ answers: apiAnswers(definition, { email: 'finder@example.org' }, false) }),
  })
}

describe('proof of work on anonymous submissions', () => {
  it('accepts an API submission with a solved challenge, once: the same solution again is refused as used', async () => {
    const from = { 'x-forwarded-for': `203.0.113.${address++}` }
    const solution = await freshSolution()
    const first = await submit({ ...from, altcha: solution })
    assert.equal(first.statusCode, 201, first.body)
    const again = await submit({ ...from, altcha: solution })
    assert.equal(again.statusCode, 400)
    assert.equal(again.json().code, 'errors.pow.replayed')
    assert.match(again.json().message, /schon einmal verwendet/)
  })

  it('refuses a forged solution (wrong number, other signature, not base64 JSON) and an expired one, each with its message', async () => {
    const from = { 'x-forwarded-for': `203.0.113.${address++}` }
    const c = (await platform.app.inject({ method: 'GET', url: '/altcha/challenge' })).json() as Challenge
    const right = JSON.parse(Buffer.from(solve(c), 'base64').toString()) as { number: number }
    for (const forged of [
      solve(c, { number: right.number + 1 }),
      solve(c, { signature: 'a'.repeat(64) }),
      'no-proof-at-all',
    ]) {
      const res = await submit({ ...from, altcha: forged })
      assert.equal(res.statusCode, 400, forged)
      assert.equal(res.json().code, 'errors.pow.invalid')
      assert.match(res.json().message, /Spam-Programme ist fehlgeschlagen/)
    }
    // Signed with our key, but its hour is over.
    const expired = await createChallenge({
      hmacKey: platform.config.altchaHmacKey,
      maxnumber: 1000,
      expires: new Date(Date.now() - 1000),
    })
    const res = await submit({ ...from, altcha: solve(expired as Challenge) })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'errors.pow.expired')
    // A challenge signed with another key is a forgery.
    const foreign = await createChallenge({ hmacKey: 'someone-elses-key-entirely', maxnumber: 1000 })
    assert.equal((await submit({ ...from, altcha: solve(foreign as Challenge) })).json().code, 'errors.pow.invalid')
  })

  it('takes API submissions without a solution within the stricter limit per address, then answers 429; agreed addresses are not counted', async () => {
    const from = { 'x-forwarded-for': `203.0.113.${address++}` }
    for (let i = 0; i < LIMIT; i++) assert.equal((await submit(from)).statusCode, 201)
    const over = await submit(from)
    assert.equal(over.statusCode, 429)
    assert.equal(over.json().code, 'errors.pow.limit')
    // With a solution the same address passes at once.
    assert.equal((await submit({ ...from, altcha: await freshSolution() })).statusCode, 201)
    // A partner's address from REQUEST_LIMIT_EXEMPT.
    for (let i = 0; i < LIMIT + 1; i++)
      assert.equal((await submit({ 'x-forwarded-for': '198.51.100.7' })).statusCode, 201)
  })

  it('takes the contact form without JavaScript within the stricter limit, then keeps what was typed and asks to wait', async () => {
    const browser = new TestBrowser(platform)
    browser.extraHeaders['x-forwarded-for'] = `203.0.113.${address++}`
    const form = await browser.get('/kontakt')
    assert.match(form.body, /<input type="hidden" name="altcha" value="" data-pow-challenge="\/altcha\/challenge"\/>/)
    assert.match(form.body, /<script src="\/assets\/altcha\.js" defer><\/script>/)
    for (let i = 0; i < LIMIT; i++) {
      const res = await browser.post('/kontakt', { question: `Wann ist das Bürgerbüro geöffnet? (${i})` })
      assert.equal(res.statusCode, 303, res.body.slice(0, 500))
    }
    await browser.get('/kontakt')
    const over = await browser.post('/kontakt', { question: 'Wann hat die Bibliothek geöffnet?' })
    assert.equal(over.statusCode, 429)
    assert.match(over.body, /Wann hat die Bibliothek geöffnet\?/)
    await browser.get('/kontakt')
    const solved = await browser.post('/kontakt', {
      question: 'Wann hat die Bibliothek geöffnet?',
      altcha: await freshSolution(),
    })
    assert.equal(solved.statusCode, 303, solved.body.slice(0, 500))
  })

  it('asks for the challenge on the anonymous defect report and application forms, not of a signed-in person', async () => {
    const anonymous = new TestBrowser(platform)
    assert.match((await anonymous.get('/maengel/melden')).body, /name="altcha"/)
    const citizen = await citizenBrowser(platform)
    assert.doesNotMatch((await citizen.get('/kontakt')).body, /name="altcha"/)
  })

  it('submits an anonymous application with a solution from its check page, and refuses the same solution on another draft', async () => {
    const definition = platform.app.services.get('fundtier-tierheim')
    const browser = new TestBrowser(platform)
    browser.extraHeaders['x-forwarded-for'] = `203.0.113.${address++}`
    const { draftId } = await fillDraft(browser, definition)
    assert.match(browser.lastHtml, /name="altcha"/)
    const solution = await freshSolution()
    const sent = await browser.post(`/applications/${draftId}/submit`, { altcha: solution })
    assert.equal(sent.statusCode, 303)
    assert.match(String(sent.headers.location), /\/confirmation$/)
    const second = await fillDraft(browser, definition)
    const replayed = await browser.post(`/applications/${second.draftId}/submit`, { altcha: solution })
    assert.equal(replayed.statusCode, 400)
    assert.match(replayed.body, /schon einmal verwendet/)
  })

  it('forgets used solutions once their challenges have expired', async () => {
    const db = platform.database.db
    await db
      .insertInto('pow_solutions_used')
      .values({ signature: 'old', expires_at: new Date(Date.now() - 1000) })
      .execute()
    assert.ok((await forgetProofsOfWork(db, platform.clock.now())) >= 1)
    assert.equal(
      (await db.selectFrom('pow_solutions_used').select('signature').where('signature', '=', 'old').execute()).length,
      0,
    )
  })

  it('needs ALTCHA_HMAC_KEY in production and names it when missing', () => {
    const { ALTCHA_HMAC_KEY: _, ...production } = PRODUCTION_ENV
    assert.throws(() => loadConfig(production), /Configuration error in ALTCHA_HMAC_KEY/)
    assert.throws(() => loadConfig({ ALTCHA_HMAC_KEY: 'short' }), /Configuration error in ALTCHA_HMAC_KEY/)
    assert.equal(loadConfig({ ...production, ALTCHA_HMAC_KEY: 'x'.repeat(32) }).altchaHmacKey, 'x'.repeat(32))
  })
})
