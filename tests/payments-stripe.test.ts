import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'
import { citizenBrowser } from './support/casework.js'
import { fillDraft } from './support/autofill.js'
import { StripeServer } from './support/stripe-server.js'
import { loadConfig } from '../src/platform/config.js'
import { parseStripeSignature, stripeProvider, STRIPE_API_VERSION } from '../src/modules/payments/providers/stripe.js'
import { NotificationRefused, PaymentProviderFailed } from '../src/modules/payments/payments.errors.js'
import { insertPayment, setProviderPayment } from '../src/modules/payments/payments.queries.js'

let stripe: StripeServer
let platform: TestPlatform

before(async () => {
  stripe = await StripeServer.start()
  platform = await startTestPlatform({
    paymentProvider: 'stripe',
    stripeApiBase: stripe.baseUrl,
    stripeSecretKey: stripe.secretKey,
    stripeWebhookSecret: stripe.webhookSecret,
  })
  // Stripe delivers webhooks over the network: the app listens for real, as in production.
  await platform.app.listen({ port: 0, host: '127.0.0.1' })
  stripe.webhookUrl = `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}/payments/notify/stripe`
})
after(async () => {
  await platform.close()
  await stripe.close()
})

const db = () => platform.database.db
const provider = () => platform.app.paymentProvider
const certificate = () => platform.app.services.get('fuehrungszeugnis')
const paymentsOf = (draftId: string) =>
  db().selectFrom('payments').selectAll().where('draft_id', '=', draftId).orderBy('created_at').execute()
const caseOf = (draftId: string) =>
  db().selectFrom('cases').select(['id', 'reference']).where('draft_id', '=', draftId).executeTakeFirst()
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
const eventsOf = (paymentId: string | null, outcomeLike = '%') => {
  const q = db()
    .selectFrom('payment_events')
    .select(['outcome', 'verified', 'provider_event_id'])
    .where('provider', '=', 'stripe')
    .where('outcome', 'like', outcomeLike)
  return (paymentId ? q.where('payment_id', '=', paymentId) : q).orderBy('id').execute()
}

/** A signed-in citizen's certificate-of-conduct application (13,00 €), submitted: the browser is sent to Stripe Checkout. */
async function submitToStripe() {
  const browser = await citizenBrowser(platform)
  const { draftId } = await fillDraft(browser, certificate(), { feeExemption: 'no' })
  const submit = await browser.post(`/applications/${draftId}/submit`)
  assert.equal(submit.statusCode, 303)
  const location = String(submit.headers.location)
  const sessionId = /\/c\/pay\/(cs_test_\w+)$/.exec(location)?.[1]
  assert.ok(
    sessionId && location.startsWith(stripe.baseUrl),
    `redirected to the Stripe server's hosted page, got ${location}`,
  )
  const [payment] = await paymentsOf(draftId)
  return { browser, draftId, sessionId, location, payment: payment! }
}

describe('configuration of Stripe per city', () => {
  it('refuses PAYMENT_PROVIDER=stripe without the secret key or the webhook secret, naming the variable', () => {
    assert.throws(
      () => loadConfig({ PAYMENT_PROVIDER: 'stripe', STRIPE_WEBHOOK_SECRET: 'whsec_x' }),
      /STRIPE_SECRET_KEY/,
    )
    assert.throws(
      () => loadConfig({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_x' }),
      /STRIPE_WEBHOOK_SECRET/,
    )
    assert.throws(() => loadConfig({ PAYMENT_PROVIDER: 'paypal' }), /PAYMENT_PROVIDER/)
    assert.throws(
      () =>
        loadConfig({
          PAYMENT_PROVIDER: 'stripe',
          STRIPE_SECRET_KEY: 'sk_test_x',
          STRIPE_WEBHOOK_SECRET: 'whsec_x',
          STRIPE_API_BASE: 'api.stripe.com',
        }),
      /STRIPE_API_BASE/,
    )
    const config = loadConfig({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
    })
    assert.equal(config.stripeApiBase, 'https://api.stripe.com')
    assert.equal(
      loadConfig({}).paymentProvider,
      'sandbox',
      'the sandbox stays the default, and needs no Stripe secrets',
    )
  })

  it('answers notifications only at the configured provider’s URL', async () => {
    for (const other of ['sandbox', 'paypal']) {
      const res = await platform.app.inject({
        method: 'POST',
        url: `/payments/notify/${other}`,
        payload: '{}',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(res.statusCode, 404, other)
    }
  })
})

describe('the Stripe-Signature header', () => {
  const hex = (c: string) => c.repeat(64)

  it('reads the timestamp and every v1 signature, and nothing else', () => {
    assert.deepEqual(parseStripeSignature(`t=1492774577,v1=${hex('a')},v0=${hex('c')},v1=${hex('b')}`), {
      timestamp: 1492774577,
      signatures: [hex('a'), hex('b')],
    })
    assert.deepEqual(parseStripeSignature(` t=5 , v1=${hex('a')} `), { timestamp: 5, signatures: [hex('a')] })
  })

  it('is refused without a single timestamp or without a usable v1', () => {
    for (const header of [
      `v1=${hex('a')}`,
      `t=,v1=${hex('a')}`,
      `t=12x,v1=${hex('a')}`,
      `t=1,t=2,v1=${hex('a')}`,
      't=1',
      `t=1,v0=${hex('a')}`,
      't=1,v1=zz',
      `t=1,v1=${hex('A')}`,
      '',
      'garbage',
      ',,,',
      '=,=',
      'sha256=abc',
      '\u0000t=1,v1=\u00ff',
    ])
      assert.equal(parseStripeSignature(header), null, JSON.stringify(header))
  })

  it('accepts a body when any v1 matches (secret roll), within the tolerance only, and maps the events', () => {
    const at = new Date('2026-03-02T10:00:00Z')
    const t = at.getTime() / 1000
    const verifier = stripeProvider({
      apiBase: stripe.baseUrl,
      secretKey: 'sk_test_unused',
      webhookSecret: 'whsec_new',
      now: () => at,
    })
    const session = {
      id: 'cs_test_1',
      object: 'checkout.session',
      mode: 'payment',
      client_reference_id: 'BH-2026-X',
      amount_total: 1300,
      currency: 'eur',
      status: 'complete',
      payment_status: 'paid',
      payment_intent: 'pi_1',
    }
    const event = (type: string, changes: Record<string, unknown> = {}) =>
      JSON.stringify(stripe.buildEvent(type, { ...session, ...changes }), null, 2)
    const verify = (body: string, header: string) => verifier.verifyNotification({ 'stripe-signature': header }, body)
    const body = event('checkout.session.completed')

    assert.deepEqual(verify(body, stripe.signatureHeader(body, t, ['whsec_old', 'whsec_new'])), {
      eventId: JSON.parse(body).id,
      providerPaymentId: 'cs_test_1',
      reference: 'BH-2026-X',
      amountCents: 1300,
      currency: 'EUR',
      status: 'paid',
    })
    const refusal = (reason: string, status: number) => (e: unknown) =>
      e instanceof NotificationRefused && e.statusCode === status && e.params.reason === reason
    assert.throws(() => verify(body, stripe.signatureHeader(body, t, ['whsec_old'])), refusal('signature', 401))
    assert.throws(
      () => verify(`${body} `, stripe.signatureHeader(body, t, ['whsec_new'])),
      refusal('signature', 401),
      'one byte more than was signed',
    )
    assert.throws(() => verify(body, stripe.signatureHeader(body, t - 301, ['whsec_new'])), refusal('timestamp', 401))
    assert.throws(() => verify(body, stripe.signatureHeader(body, t + 301, ['whsec_new'])), refusal('timestamp', 401))
    assert.ok(verify(body, stripe.signatureHeader(body, t - 299, ['whsec_new'])))
    assert.throws(() => verifier.verifyNotification({}, body), refusal('signature', 401))
    assert.throws(
      () => verifier.verifyNotification({ 'stripe-signature': [stripe.signatureHeader(body, t, ['whsec_new'])] }, body),
      refusal('signature', 401),
    )

    const signed = (raw: string) => verify(raw, stripe.signatureHeader(raw, t, ['whsec_new']))
    assert.throws(() => signed('{not json'), refusal('body', 400))
    assert.throws(() => signed('{"id":"evt_1","object":"event"}'), refusal('body', 400))
    assert.throws(() => signed(event('checkout.session.completed', { amount_total: '1300' })), refusal('body', 400))
    assert.equal(signed(event('checkout.session.completed', { payment_status: 'unpaid' }))?.status, 'pending')
    assert.equal(signed(event('checkout.session.async_payment_succeeded'))?.status, 'paid')
    assert.equal(signed(event('checkout.session.async_payment_failed', { payment_status: 'unpaid' }))?.status, 'failed')
    assert.equal(
      signed(event('checkout.session.expired', { status: 'expired', payment_status: 'unpaid' }))?.status,
      'cancelled',
    )
    // Verified, but nothing a payment here follows: answered, not refused, so Stripe stops resending.
    assert.equal(signed(event('payment_intent.succeeded')), null)
    assert.equal(
      signed(event('checkout.session.completed', { client_reference_id: null })),
      null,
      'a payment link’s session',
    )
    assert.equal(signed(event('checkout.session.completed', { mode: 'subscription' })), null)
  })
})

describe('paying at submission with Stripe Checkout', () => {
  it('creates a Checkout Session as Stripe documents it, and makes the case once the signed webhook arrives', async () => {
    const { browser, draftId, sessionId, location, payment } = await submitToStripe()
    assert.equal(payment.provider, 'stripe')
    assert.equal(payment.provider_payment_id, sessionId)
    assert.equal(payment.status, 'open')
    assert.equal(await caseOf(draftId), undefined, 'no case before payment')

    const call = stripe.requests.find(
      r =>
        r.method === 'POST' &&
        r.path === '/v1/checkout/sessions' &&
        r.form.get('client_reference_id') === payment.reference,
    )!
    assert.equal(call.headers.authorization, `Bearer ${stripe.secretKey}`)
    assert.equal(call.headers['idempotency-key'], payment.reference)
    assert.equal(call.headers['stripe-version'], STRIPE_API_VERSION)
    assert.equal(call.headers['content-type'], 'application/x-www-form-urlencoded')
    const returnUrl = `${platform.config.baseUrl}/applications/${draftId}/payment-return`
    assert.deepEqual(Object.fromEntries(call.form), {
      mode: 'payment',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '1300',
      'line_items[0][price_data][product_data][name]': 'Gebühr: Führungszeugnis beantragen',
      'line_items[0][quantity]': '1',
      client_reference_id: payment.reference,
      'metadata[reference]': payment.reference,
      'payment_intent_data[metadata][reference]': payment.reference,
      success_url: returnUrl,
      cancel_url: returnUrl,
    })

    const again = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(again.headers.location, location, 'a second click goes back to the same session')
    assert.equal((await paymentsOf(draftId)).length, 1)

    const page = await fetch(location)
    assert.equal(page.status, 200)
    assert.match(await page.text(), /13,00\s€/)
    // The payer pays on Stripe's page; Stripe sends checkout.session.completed to our webhook, then the browser back.
    const paid = await fetch(location, {
      method: 'POST',
      body: new URLSearchParams({ action: 'pay' }),
      redirect: 'manual',
    })
    assert.equal(paid.status, 303)
    assert.equal(paid.headers.get('location'), returnUrl)
    const created = await caseOf(draftId)
    assert.ok(created, 'the webhook alone made the case')
    const row = await paymentRow(payment.id)
    assert.equal(row.status, 'paid')
    assert.equal(row.case_id, created.id)
    const [completed] = stripe.events.filter(e => (e.data.object as { id: string }).id === sessionId)
    assert.deepEqual(await eventsOf(payment.id), [
      { outcome: 'applied', verified: true, provider_event_id: completed!.id },
    ])

    const back = await browser.follow(await browser.get(new URL(returnUrl).pathname))
    assert.ok(back.body.includes(created.reference))
  })

  it('refuses a webhook signed with another secret, without a signature or with an old timestamp, and books nothing', async () => {
    const { draftId, sessionId, payment } = await submitToStripe()
    const {
      events: [event],
    } = await stripe.completeSession(sessionId, 'paid', { deliver: false })
    const t = Math.floor(Date.now() / 1000)
    const refused = [
      ...(await stripe.deliver(event!, { secret: 'whsec_of_another_endpoint' })),
      ...(await stripe.deliver(event!, { timestamp: t - 600 })),
      ...(await stripe.deliver(event!, { header: '' })),
      ...(await stripe.deliver(event!, { header: `t=${t}` })),
      ...(await stripe.deliver(event!, { header: 'v1=deadbeef,garbage' })),
    ]
    assert.deepEqual(
      refused.map(d => d.status),
      [401, 401, 401, 401, 401],
    )
    assert.equal((await paymentRow(payment.id)).status, 'open')
    assert.equal(await bookings(payment.id), 0)
    assert.equal(await caseOf(draftId), undefined)
    const recorded = (await eventsOf(null, 'refused:%')).filter(e => !e.verified && e.provider_event_id === null)
    assert.ok(
      recorded.some(e => e.outcome === 'refused:signature') && recorded.some(e => e.outcome === 'refused:timestamp'),
    )

    // The genuine delivery still goes through, and redeliveries of the same event are booked once.
    const deliveries = await stripe.deliver(event!, { times: 3 })
    assert.deepEqual(
      deliveries.map(d => [d.status, JSON.parse(d.body).outcome]),
      [
        [200, 'applied'],
        [200, 'duplicate'],
        [200, 'duplicate'],
      ],
    )
    assert.equal(await bookings(payment.id), 1)
    assert.equal((await db().selectFrom('cases').select('id').where('draft_id', '=', draftId).execute()).length, 1)
  })

  it('books concurrent deliveries of the same event once', async () => {
    const { sessionId, payment } = await submitToStripe()
    const {
      events: [event],
    } = await stripe.completeSession(sessionId, 'paid', { deliver: false })
    const results = (await Promise.all(Array.from({ length: 5 }, () => stripe.deliver(event!)))).flat()
    assert.ok(
      results.every(r => r.status === 200),
      results.map(r => r.status).join(','),
    )
    assert.equal(await bookings(payment.id), 1)
  })

  it('answers 404 to a signed event about a session it never made, and 409 to one whose amount is not what was asked', async () => {
    const { sessionId, payment } = await submitToStripe()
    const session = stripe.sessions.get(sessionId)!
    const snapshot = { ...session, status: 'complete', payment_status: 'paid', url: null } as unknown as Record<
      string,
      unknown
    >
    const [unknown] = await stripe.deliver(
      stripe.buildEvent('checkout.session.completed', snapshot, { id: 'cs_test_neverMadeHere' }),
    )
    assert.equal(unknown!.status, 404)
    const [cheaper] = await stripe.deliver(
      stripe.buildEvent('checkout.session.completed', snapshot, { amount_total: 100, amount_subtotal: 100 }),
    )
    assert.equal(cheaper!.status, 409)
    const [otherCurrency] = await stripe.deliver(
      stripe.buildEvent('checkout.session.completed', snapshot, { currency: 'usd' }),
    )
    assert.equal(otherCurrency!.status, 409)
    const [otherReference] = await stripe.deliver(
      stripe.buildEvent('checkout.session.completed', snapshot, { client_reference_id: 'BH-2026-SOMEONEELSE' }),
    )
    assert.equal(otherReference!.status, 409)
    assert.equal((await paymentRow(payment.id)).status, 'open')
    assert.equal(await bookings(payment.id), 0)
    assert.deepEqual(
      (await eventsOf(payment.id)).map(e => e.outcome),
      ['mismatch:amount', 'mismatch:currency', 'mismatch:reference'],
    )
  })

  it('answers other verified event types with 200 and books nothing', async () => {
    const { sessionId, payment } = await submitToStripe()
    const session = stripe.sessions.get(sessionId)! as unknown as Record<string, unknown>
    const [other] = await stripe.deliver(
      stripe.buildEvent('payment_intent.created', { id: 'pi_123', object: 'payment_intent', amount: 1300 }),
    )
    assert.equal(other!.status, 200)
    assert.equal(JSON.parse(other!.body).outcome, 'ignored')
    const [foreign] = await stripe.deliver(
      stripe.buildEvent('checkout.session.completed', {
        ...session,
        client_reference_id: null,
        payment_status: 'paid',
      }),
    )
    assert.equal(foreign!.status, 200)
    assert.equal((await paymentRow(payment.id)).status, 'open')
    const [forged] = await stripe.deliver(stripe.buildEvent('payment_intent.created', { id: 'pi_123' }), {
      secret: 'whsec_forged',
    })
    assert.equal(forged!.status, 401, 'an uninteresting event still has to be genuine')
  })

  it('cancels the payment when the session expires, and a new attempt opens a new session', async () => {
    const { browser, draftId, sessionId, payment } = await submitToStripe()
    const { deliveries } = await stripe.completeSession(sessionId, 'expired')
    assert.equal(deliveries[0]!.status, 200)
    assert.equal((await paymentRow(payment.id)).status, 'cancelled')
    const check = await browser.follow(await browser.get(`/applications/${draftId}/payment-return`))
    assert.match(check.body, /Die Zahlung wurde abgebrochen/)
    const retry = await browser.post(`/applications/${draftId}/submit`)
    const newSession = /\/c\/pay\/(cs_test_\w+)$/.exec(String(retry.headers.location))?.[1]
    assert.ok(newSession && newSession !== sessionId)
    await stripe.completeSession(newSession, 'paid')
    assert.ok(await caseOf(draftId))
    assert.deepEqual(
      (await paymentsOf(draftId)).map(p => p.status),
      ['cancelled', 'paid'],
    )
  })

  it('waits for a delayed payment method, then makes the case when it succeeds, or lets the payer retry when it fails', async () => {
    const succeeding = await submitToStripe()
    await stripe.completeSession(succeeding.sessionId, 'unpaid')
    assert.equal((await paymentRow(succeeding.payment.id)).status, 'pending')
    const waiting = await succeeding.browser.get(`/applications/${succeeding.draftId}/payment-return`)
    assert.match(waiting.body, /Wir warten auf die Bestätigung Ihrer Zahlung/)
    assert.equal(await caseOf(succeeding.draftId), undefined)
    const { deliveries } = await stripe.completeSession(succeeding.sessionId, 'async_paid')
    assert.equal(JSON.parse(deliveries[0]!.body).outcome, 'applied')
    assert.ok(await caseOf(succeeding.draftId))

    const failing = await submitToStripe()
    await stripe.completeSession(failing.sessionId, 'async_failed')
    assert.equal((await paymentRow(failing.payment.id)).status, 'failed')
    const check = await failing.browser.follow(
      await failing.browser.get(`/applications/${failing.draftId}/payment-return`),
    )
    assert.match(check.body, /Die Zahlung ist fehlgeschlagen/)
    assert.equal(await caseOf(failing.draftId), undefined)
  })
})

describe('asking Stripe (reconciliation and refunds)', () => {
  it('reports a session paid at Stripe whose webhook never arrived, and each other state', async () => {
    const dropped = await submitToStripe()
    await stripe.completeSession(dropped.sessionId, 'paid', { deliver: false })
    assert.equal((await paymentRow(dropped.payment.id)).status, 'open', 'our side never heard of it')
    assert.deepEqual(await provider().fetchStatus(dropped.sessionId), {
      status: 'paid',
      amountCents: 1300,
      currency: 'EUR',
    })

    const open = await submitToStripe()
    assert.equal((await provider().fetchStatus(open.sessionId))?.status, 'open')
    const sessions = await Promise.all([submitToStripe(), submitToStripe(), submitToStripe()])
    const outcomes = ['expired', 'unpaid', 'async_failed'] as const
    const expected = ['cancelled', 'pending', 'failed']
    for (const [i, s] of sessions.entries()) {
      await stripe.completeSession(s.sessionId, outcomes[i]!, { deliver: false })
      assert.equal((await provider().fetchStatus(s.sessionId))?.status, expected[i], outcomes[i])
    }
    assert.equal(await provider().fetchStatus('cs_test_neverMadeHere'), null)
    assert.equal(await provider().fetchStatus('../v1/refunds'), null, 'the id cannot leave the sessions path')
    assert.ok(
      stripe.requests.some(
        r =>
          r.method === 'GET' &&
          r.path === `/v1/checkout/sessions/${dropped.sessionId}` &&
          r.form.getAll('expand[]').includes('payment_intent'),
      ),
    )
  })

  /** A paid session at Stripe, made through our own functions, without the application flow. */
  async function paidSession(amountCents = 1300) {
    const reference = `BH-TEST-${crypto.randomBytes(5).toString('hex').toUpperCase()}`
    const { draftId } = await fillDraft(await citizenBrowser(platform), certificate(), { feeExemption: 'no' })
    const id = crypto.randomUUID()
    await insertPayment(db(), {
      id,
      reference,
      serviceId: 'fuehrungszeugnis',
      officeId: 'buergerdienste',
      draftId,
      accountId: null,
      amountCents,
      description: 'Test',
      provider: 'stripe',
    })
    const started = await provider().startPayment({
      reference,
      amountCents,
      currency: 'EUR',
      description: 'Test',
      returnUrl: 'http://localhost:3000/',
      notifyUrl: 'http://localhost:3000/payments/notify/stripe',
    })
    await setProviderPayment(db(), id, started.providerPaymentId, started.redirectUrl)
    await stripe.completeSession(started.providerPaymentId, 'paid')
    return started.providerPaymentId
  }
  const refund = (providerPaymentId: string, amountCents: number, idempotencyKey: string = crypto.randomUUID()) =>
    provider().refund({
      providerPaymentId,
      amountCents,
      currency: 'EUR',
      idempotencyKey,
      reason: 'Antrag zurückgenommen',
    })

  it('refunds in part and then the rest, never twice for the same key, and never more than was paid', async () => {
    const sessionId = await paidSession()
    const first = await refund(sessionId, 500, 'refund-key-1')
    assert.equal(first.status, 'succeeded')
    assert.match(first.providerRefundId, /^re_/)
    assert.deepEqual(await refund(sessionId, 500, 'refund-key-1'), first, 'a retried call returns the same refund')
    const intent = stripe.sessions.get(sessionId)!.payment_intent!
    assert.equal([...stripe.refunds.values()].filter(r => r.payment_intent === intent).length, 1)
    const call = stripe.requests.find(r => r.path === '/v1/refunds' && r.headers['idempotency-key'] === 'refund-key-1')!
    assert.deepEqual(Object.fromEntries(call.form), {
      payment_intent: intent,
      amount: '500',
      'metadata[reason]': 'Antrag zurückgenommen',
    })

    assert.deepEqual(
      await refund(sessionId, 900),
      { providerRefundId: '', status: 'failed' },
      'more than is left (Stripe answers 400)',
    )
    assert.equal((await refund(sessionId, 800)).status, 'succeeded')
    assert.equal((await refund(sessionId, 1)).status, 'failed', 'already refunded in full')
  })

  it('refunds in full at once, reports a pending refund as pending, and refuses what was never paid', async () => {
    assert.equal((await refund(await paidSession(), 1300)).status, 'succeeded')
    assert.equal((await refund(await paidSession(), 1301)).status, 'failed')
    stripe.refundStatus = 'pending'
    try {
      assert.equal((await refund(await paidSession(), 1300)).status, 'pending')
    } finally {
      stripe.refundStatus = 'succeeded'
    }
    const open = await submitToStripe()
    assert.equal((await refund(open.sessionId, 1300)).status, 'failed', 'an open session has no payment to refund')
    assert.equal((await refund('cs_test_neverMadeHere', 1300)).status, 'failed')
  })
})

describe('when Stripe cannot start a payment', () => {
  it('marks the attempt failed and shows the citizen a clear page (502, not a plain 500); the next try works', async () => {
    const browser = await citizenBrowser(platform)
    const { draftId } = await fillDraft(browser, certificate(), { feeExemption: 'no' })
    stripe.failNext('POST', '/v1/checkout/sessions', 500)
    const res = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(res.statusCode, 502)
    assert.match(res.headers['content-type'] as string, /text\/html/)
    assert.match(res.body, /Der Zahlungsdienst ist im Moment nicht erreichbar/)
    assert.match(res.body, /Ihr Antrag ist noch nicht abgesendet/)
    assert.deepEqual(
      (await paymentsOf(draftId)).map(p => p.status),
      ['failed'],
    )
    assert.equal(await caseOf(draftId), undefined)

    const retry = await browser.post(`/applications/${draftId}/submit`)
    assert.equal(retry.statusCode, 303)
    assert.ok(String(retry.headers.location).startsWith(`${stripe.baseUrl}/c/pay/cs_test_`))
  })

  it('says why in the error it logs, without the secret key', async () => {
    const wrongKey = `sk_test_${'w'.repeat(24)}WXYZ`
    const misconfigured = stripeProvider({ apiBase: stripe.baseUrl, secretKey: wrongKey, webhookSecret: 'whsec_x' })
    const error = await misconfigured
      .startPayment({
        reference: 'BH-TEST-KEY',
        amountCents: 1300,
        currency: 'EUR',
        description: 'Test',
        returnUrl: 'http://localhost:3000/',
        notifyUrl: 'http://localhost:3000/',
      })
      .then(
        () => null,
        (e: unknown) => e,
      )
    assert.ok(error instanceof PaymentProviderFailed)
    assert.equal(error.statusCode, 502)
    const cause = String((error.cause as Error).message)
    assert.match(cause, /answered 401: Invalid API Key provided/)
    assert.ok(!cause.includes(wrongKey), cause)

    const unreachable = stripeProvider({
      apiBase: 'http://127.0.0.1:9',
      secretKey: 'sk_test_x',
      webhookSecret: 'whsec_x',
    })
    await assert.rejects(
      unreachable.fetchStatus('cs_test_1'),
      (e: unknown) => e instanceof PaymentProviderFailed && /unreachable/.test(String((e.cause as Error).message)),
    )
  })
})
