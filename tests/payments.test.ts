import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fc from 'fast-check'
import { startTestPlatform, type TestBrowser, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser, staffBrowser } from './support/casework.js'
import { fillDraft, paySandboxIfAsked } from './support/autofill.js'
import { signSandboxBody, SANDBOX_SIGNATURE_HEADER } from '../src/modules/payments/providers/sandbox.js'
import { insertPayment, setProviderPayment } from '../src/modules/payments/payments.queries.js'

let platform: TestPlatform
before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform.close()
})

const db = () => platform.database.db
const certificate = () => platform.app.services.get('fuehrungszeugnis')

/** A signed-in citizen with a filled-in certificate-of-conduct application at its check page. */
async function draftAtCheck(overrides: Record<string, string> = { feeExemption: 'no' }) {
  const browser = await citizenBrowser(platform)
  const { draftId } = await fillDraft(browser, certificate(), overrides)
  return { browser, draftId }
}

const paymentsOf = (draftId: string) =>
  db().selectFrom('payments').selectAll().where('draft_id', '=', draftId).orderBy('created_at').execute()
const caseOf = (draftId: string) =>
  db().selectFrom('cases').select(['id', 'reference']).where('draft_id', '=', draftId).executeTakeFirst()

function notify(body: string, signature: string | null = signSandboxBody(platform.config.paymentSandboxSecret, body)) {
  return platform.app.inject({
    method: 'POST',
    url: '/payments/notify/sandbox',
    payload: body,
    headers: { 'content-type': 'application/json', ...(signature ? { [SANDBOX_SIGNATURE_HEADER]: signature } : {}) },
  })
}

/** An open payment at the sandbox, made through our own functions, with the notification that would confirm it. */
async function openPayment(draftId: string, amountCents = 1300) {
  const id = crypto.randomUUID()
  const reference = `BH-TEST-${crypto.randomBytes(5).toString('hex').toUpperCase()}`
  await insertPayment(db(), {
    id,
    reference,
    serviceId: 'fuehrungszeugnis',
    officeId: 'buergerdienste',
    draftId,
    accountId: null,
    amountCents,
    description: 'Test',
    provider: 'sandbox',
  })
  const started = await platform.app.paymentProvider.startPayment({
    reference,
    amountCents,
    currency: 'EUR',
    description: 'Test',
    returnUrl: 'http://localhost:3000/',
    notifyUrl: 'http://localhost:3000/payments/notify/sandbox',
  })
  await setProviderPayment(db(), id, started.providerPaymentId, started.redirectUrl)
  const message = (
    status: string,
    eventId = `${started.providerPaymentId}:${status}`,
    changes: Record<string, unknown> = {},
  ) =>
    JSON.stringify({
      eventId,
      providerPaymentId: started.providerPaymentId,
      reference,
      amountCents,
      currency: 'EUR',
      status,
      ...changes,
    })
  return { id, providerPaymentId: started.providerPaymentId, message }
}

const paymentRow = (id: string) =>
  db().selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const bookings = async (id: string) =>
  (
    await db()
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'payment.status')
      .where('subject_id', '=', id)
      .execute()
  ).filter(r => (r.details as { to?: string }).to === 'paid').length

describe('fees on the portal', () => {
  it('shows the fee on the service page and the exact amount on the check page and its button', async () => {
    const page = await (await citizenBrowser(platform)).get('/services/fuehrungszeugnis')
    assert.match(page.body, /Gebühren/)
    assert.match(page.body, /13,00\s€/)
    const { browser } = await draftAtCheck()
    assert.match(browser.lastHtml, /class="fee-total">13,00\s€</)
    assert.match(browser.lastHtml, /13,00\s€ bezahlen und Antrag absenden/)
  })

  it('sends a volunteer’s application without payment: the exemption makes it free', async () => {
    const { browser, draftId } = await draftAtCheck({ feeExemption: 'yes' })
    assert.match(browser.lastHtml, /class="fee-total">0,00\s€</)
    const res = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(res.headers.location, `/applications/${draftId}/confirmation`)
    assert.ok(await caseOf(draftId))
    assert.deepEqual(await paymentsOf(draftId), [])
  })
})

describe('paying at submission in the sandbox', () => {
  it('sends the payer to the sandbox, and only a confirmed payment makes the case, with the payment linked and shown', async () => {
    const { browser, draftId } = await draftAtCheck()
    const submit = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(submit.statusCode, 303)
    assert.match(String(submit.headers.location), /^\/payments\/sandbox\/[0-9a-f-]{36}$/)
    assert.equal(await caseOf(draftId), undefined, 'no case before payment')
    const [open] = await paymentsOf(draftId)
    assert.equal(open!.status, 'open')
    assert.equal(open!.amount_cents, 1300)

    const again = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(again.headers.location, submit.headers.location, 'a second click reuses the open payment')
    assert.equal((await paymentsOf(draftId)).length, 1)

    const sandbox = await browser.get(String(submit.headers.location))
    assert.match(sandbox.body, /13,00\s€/)
    assert.match(sandbox.body, /SEPA-Lastschrift/)
    assert.doesNotMatch(sandbox.body, /giropay/i, 'giropay ended in 2024')
    const paid = await browser.post(String(submit.headers.location), { action: 'pay', method: 'sepa' })
    assert.equal(paid.headers.location, `/applications/${draftId}/payment-return`)
    const confirmation = await browser.follow(paid)
    const reference = /class="case-reference"[^>]*>([^<]+)</.exec(confirmation.body)?.[1]
    assert.ok(reference, 'confirmation with case reference')

    const created = (await caseOf(draftId))!
    const [payment] = await paymentsOf(draftId)
    assert.equal(payment!.status, 'paid')
    assert.equal(payment!.case_id, created.id)
    assert.ok(payment!.paid_at)
    const events = await db()
      .selectFrom('case_events')
      .select(['kind', 'data'])
      .where('case_id', '=', created.id)
      .execute()
    assert.deepEqual(
      events.map(e => e.kind),
      ['submitted', 'payment_paid'],
    )

    const own = await browser.get(`/account/applications/${created.id}`)
    assert.match(own.body, /13,00\s€/)
    assert.match(own.body, />bezahlt</)
    const office = await staffBrowser(platform, 'buergerdienste')
    const view = await office.get(`/backoffice/cases/${created.id}`)
    assert.match(view.body, />bezahlt</)
    assert.ok(view.body.includes(payment!.reference))

    assert.equal(
      (await browser.get(`/applications/${draftId}/payment-return`)).headers.location,
      `/applications/${draftId}/confirmation`,
    )
    assert.equal((await db().selectFrom('cases').select('id').where('draft_id', '=', draftId).execute()).length, 1)
  })

  it('makes the case as soon as the payment is confirmed, even when the payer never comes back from the provider', async () => {
    const { browser, draftId } = await draftAtCheck()
    const submit = await browser.post(`/applications/${draftId}/submit`)
    await browser.get(String(submit.headers.location))
    // Pay, then close the browser: the redirect back is never followed.
    const paid = await browser.post(String(submit.headers.location), { action: 'pay', method: 'card' })
    assert.equal(paid.statusCode, 303)
    const created = await caseOf(draftId)
    assert.ok(created, 'the confirmed payment alone made the case')
    const [payment] = await paymentsOf(draftId)
    assert.equal(payment!.case_id, created.id)
    // Coming back later shows the same confirmation, and no second case appears.
    const confirmation = await browser.follow(await browser.get(`/applications/${draftId}/payment-return`))
    assert.ok(confirmation.body.includes(created.reference))
    assert.equal((await db().selectFrom('cases').select('id').where('draft_id', '=', draftId).execute()).length, 1)
  })

  it('brings a failed or cancelled payment back to the check page without a case, and a retry works', async () => {
    const { browser, draftId } = await draftAtCheck()
    for (const action of ['fail', 'cancel'] as const) {
      const back = await paySandboxIfAsked(browser, await browser.post(`/applications/${draftId}/submit`), action)
      const check = await browser.follow(back)
      assert.equal(check.statusCode, 200)
      assert.match(check.body, action === 'fail' ? /Die Zahlung ist fehlgeschlagen/ : /Die Zahlung wurde abgebrochen/)
      assert.match(check.body, /13,00\s€ bezahlen und Antrag absenden/)
      assert.equal(await caseOf(draftId), undefined)
    }
    const retried = await browser.follow(
      await paySandboxIfAsked(browser, await browser.post(`/applications/${draftId}/submit`)),
    )
    assert.match(retried.body, /class="case-reference"/)
    assert.deepEqual(
      (await paymentsOf(draftId)).map(p => p.status),
      ['failed', 'cancelled', 'paid'],
    )
  })

  it('trusts no query string on the way back: an unpaid payment only waits', async () => {
    const { browser, draftId } = await draftAtCheck()
    await browser.post(`/applications/${draftId}/submit`)
    const back = await browser.get(`/applications/${draftId}/payment-return?status=paid&amountCents=1300`)
    assert.equal(back.statusCode, 200)
    assert.match(back.body, /Wir warten auf die Bestätigung Ihrer Zahlung/)
    assert.equal(await caseOf(draftId), undefined)
    assert.equal((await paymentsOf(draftId))[0]!.status, 'open')
  })

  it('shows the return page of a draft to nobody but its owner', async () => {
    const { draftId } = await draftAtCheck()
    const stranger = await citizenBrowser(platform, 'info@baeckerei-beispiel.example')
    assert.equal((await stranger.get(`/applications/${draftId}/payment-return`)).statusCode, 404)
  })
})

describe('provider notifications', () => {
  let browser: TestBrowser
  let draftId: string
  before(async () => {
    ;({ browser, draftId } = await draftAtCheck())
  })

  it('refuses unsigned, wrongly signed and tampered notifications and marks nothing paid', async () => {
    const p = await openPayment(draftId)
    const body = p.message('paid')
    assert.equal((await notify(body, null)).statusCode, 401)
    assert.equal((await notify(body, signSandboxBody('some-other-secret-of-16', body))).statusCode, 401)
    assert.equal(
      (
        await notify(
          body.replace('"amountCents":1300', '"amountCents":1'),
          signSandboxBody(platform.config.paymentSandboxSecret, body),
        )
      ).statusCode,
      401,
      'body changed after signing',
    )
    assert.equal(
      (await notify(p.message('paid', 'e-amount', { amountCents: 1 }))).statusCode,
      409,
      'signed, but not the amount we asked for',
    )
    assert.equal((await notify(p.message('paid', 'e-currency', { currency: 'USD' }))).statusCode, 409)
    assert.equal((await notify(p.message('paid', 'e-reference', { reference: 'BH-OTHER' }))).statusCode, 409)
    assert.equal(
      (await notify(p.message('paid', 'e-unknown', { providerPaymentId: crypto.randomUUID() }))).statusCode,
      404,
    )
    assert.equal((await notify('{"not":"a notification"}')).statusCode, 400)
    assert.equal((await paymentRow(p.id)).status, 'open')
    assert.equal(await bookings(p.id), 0)
    const refused = await db()
      .selectFrom('payment_events')
      .select(['verified', 'outcome', 'provider_event_id'])
      .where('outcome', 'like', 'refused:%')
      .execute()
    assert.ok(
      refused.length >= 3 && refused.every(e => !e.verified && e.provider_event_id === null),
      'refused notifications are recorded without blocking their event id',
    )
    // The genuine notification still goes through after all the forged ones.
    assert.equal((await notify(body)).statusCode, 200)
    assert.equal((await paymentRow(p.id)).status, 'paid')
  })

  it('books a replayed notification once and never lets a late failure undo a payment', async () => {
    const p = await openPayment(draftId)
    const paid = p.message('paid')
    for (let i = 0; i < 3; i++) assert.equal((await notify(paid)).statusCode, 200)
    assert.equal(JSON.parse((await notify(paid)).body).outcome, 'duplicate')
    assert.equal((await notify(p.message('failed'))).statusCode, 200)
    assert.equal((await notify(p.message('cancelled'))).statusCode, 200)
    const row = await paymentRow(p.id)
    assert.equal(row.status, 'paid')
    assert.equal(await bookings(p.id), 1)
    assert.equal(
      (
        await db()
          .selectFrom('payment_events')
          .select('id')
          .where('payment_id', '=', p.id)
          .where('provider_event_id', '=', `${p.providerPaymentId}:paid`)
          .execute()
      ).length,
      1,
    )
  })

  it('books concurrent deliveries of the same confirmation once', async () => {
    const p = await openPayment(draftId)
    const results = await Promise.all(Array.from({ length: 6 }, () => notify(p.message('paid'))))
    assert.ok(
      results.every(r => r.statusCode === 200),
      results.map(r => r.statusCode).join(','),
    )
    assert.equal(await bookings(p.id), 1)
    assert.equal((await paymentRow(p.id)).status, 'paid')
  })

  it('ends in the right state for any interleaving of duplicate, late and out-of-order notifications, booking at most once', async () => {
    const kinds = ['paid', 'failed', 'cancelled', 'pending'] as const
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ status: fc.constantFrom(...kinds), copy: fc.integer({ min: 0, max: 1 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        async deliveries => {
          const p = await openPayment(draftId)
          for (const d of deliveries) {
            const res = await notify(p.message(d.status, `${p.providerPaymentId}:${d.status}:${d.copy}`))
            if (res.statusCode !== 200) return false
          }
          // Paid once any confirmation arrived; otherwise the first final answer; otherwise pending or still open.
          const firstFinal = deliveries.find(d => d.status === 'failed' || d.status === 'cancelled')?.status
          const expected = deliveries.some(d => d.status === 'paid')
            ? 'paid'
            : (firstFinal ?? (deliveries.some(d => d.status === 'pending') ? 'pending' : 'open'))
          const row = await paymentRow(p.id)
          const booked = await bookings(p.id)
          return (
            row.status === expected &&
            booked === (expected === 'paid' ? 1 : 0) &&
            (row.paid_at !== null) === (expected === 'paid')
          )
        },
      ),
      { numRuns: 40, seed: 3 },
    )
    const cases = await db().selectFrom('cases').select('id').where('draft_id', '=', draftId).execute()
    assert.equal(cases.length, 1, 'however many confirmations arrive for a draft, it becomes one case')
    void browser
  })
})
