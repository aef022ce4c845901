import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local server that speaks the part of Stripe's API this platform uses, as Stripe documents it
 * (docs.stripe.com/api): Checkout Sessions (create, retrieve with expand[]=payment_intent), Refunds (create),
 * Bearer authentication, idempotency keys, Stripe's error shape, a hosted payment page, and webhook
 * deliveries signed "t=…,v1=HMAC-SHA256(secret, t.body)" to a configured URL over real HTTP.
 * Signing is written here again from the documentation, not imported from the adapter under test.
 */

export type SessionOutcome = 'paid' | 'unpaid' | 'async_paid' | 'async_failed' | 'expired'

export interface StripeSession {
  id: string
  object: 'checkout.session'
  mode: 'payment'
  livemode: false
  created: number
  expires_at: number
  amount_subtotal: number
  amount_total: number
  currency: string
  client_reference_id: string | null
  metadata: Record<string, string>
  payment_intent: string | null
  payment_method_types: string[]
  status: 'open' | 'complete' | 'expired'
  payment_status: 'paid' | 'unpaid'
  success_url: string
  cancel_url: string | null
  url: string | null
}

export interface StripePaymentIntent {
  id: string
  object: 'payment_intent'
  amount: number
  amount_received: number
  currency: string
  status: 'processing' | 'succeeded' | 'requires_payment_method'
  metadata: Record<string, string>
}

export interface StripeRefund {
  id: string
  object: 'refund'
  amount: number
  currency: string
  payment_intent: string
  status: 'succeeded' | 'pending' | 'failed'
  reason: string | null
  metadata: Record<string, string>
  created: number
}

export interface StripeEvent {
  id: string
  object: 'event'
  api_version: string
  created: number
  livemode: false
  pending_webhooks: number
  request: { id: null; idempotency_key: null }
  type: string
  data: { object: Record<string, unknown> }
}

export interface RecordedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
  form: URLSearchParams
}

export interface Delivery {
  status: number
  body: string
  signatureHeader: string
  payload: string
}

export interface DeliverOptions {
  /** Signs with this secret instead of the configured one (a forged or misconfigured sender). */
  secret?: string
  /** Signs with several secrets, one v1 each, as Stripe does while an endpoint's secret is rolled. */
  secrets?: string[]
  /** Unix seconds put into t= (and signed): an old one is a replayed delivery. */
  timestamp?: number
  /** Sends this Stripe-Signature header as it is. */
  header?: string
  /** Delivers the same bytes this many times (Stripe delivers at least once). */
  times?: number
}

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; message: string; code?: string; param?: string },
  ) {
    super(body.message)
  }
}

const randomId = (prefix: string) => `${prefix}_${crypto.randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`
const unix = () => Math.floor(Date.now() / 1000)
const missing = (param: string) =>
  new StripeError(400, {
    type: 'invalid_request_error',
    code: 'parameter_missing',
    param,
    message: `Missing required param: ${param}.`,
  })
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** Parameters Stripe accepts on the calls implemented here; anything else is refused like Stripe refuses it. */
const allowedSessionParams = [
  /^mode$/,
  /^success_url$/,
  /^cancel_url$/,
  /^client_reference_id$/,
  /^customer_email$/,
  /^locale$/,
  /^expires_at$/,
  /^metadata\[[^\]]+\]$/,
  /^payment_intent_data\[metadata\]\[[^\]]+\]$/,
  /^payment_intent_data\[description\]$/,
  /^payment_method_types\[\d+\]$/,
  /^line_items\[0\]\[(quantity|price_data\]\[(currency|unit_amount|product_data\]\[name))\]$/,
]
const allowedRefundParams = [/^payment_intent$/, /^amount$/, /^reason$/, /^metadata\[[^\]]+\]$/]

function checkKnownParams(form: URLSearchParams, allowed: RegExp[]) {
  for (const key of form.keys()) {
    if (!allowed.some(re => re.test(key))) {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        param: key,
        message: `Received unknown parameter: ${key}`,
      })
    }
  }
}

/** metadata[key]=value → { key: value } (Stripe's bracket notation). */
function metadataOf(form: URLSearchParams, prefix = 'metadata'): Record<string, string> {
  const out: Record<string, string> = {}
  const re = new RegExp(`^${prefix.replace(/[[\]]/g, '\\$&')}\\[([^\\]]+)\\]$`)
  for (const [key, value] of form) {
    const m = re.exec(key)
    if (m) out[m[1]!] = value
  }
  return out
}

export class StripeServer {
  readonly sessions = new Map<string, StripeSession>()
  readonly paymentIntents = new Map<string, StripePaymentIntent>()
  readonly refunds = new Map<string, StripeRefund>()
  readonly events: StripeEvent[] = []
  readonly requests: RecordedRequest[] = []
  /** Where webhook events are posted (our app's /payments/notify/stripe); set once the app listens. */
  webhookUrl = ''
  /** Status of the next refunds made (SEPA refunds are "pending" for days at the real Stripe). */
  refundStatus: StripeRefund['status'] = 'succeeded'
  /** Kept beside the sessions, as Stripe keeps line items and payment_intent_data apart from the session object. */
  private readonly productNames = new Map<string, string>()
  private readonly intentMetadata = new Map<string, Record<string, string>>()
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: string }>()
  private readonly failures: { method: string; path: string; status: number }[] = []
  private server!: http.Server
  baseUrl = ''

  constructor(
    readonly secretKey: string,
    readonly webhookSecret: string,
  ) {}

  static async start(options: { secretKey?: string; webhookSecret?: string } = {}): Promise<StripeServer> {
    const stripe = new StripeServer(
      options.secretKey ?? `sk_test_${crypto.randomBytes(12).toString('hex')}`,
      options.webhookSecret ?? `whsec_${crypto.randomBytes(16).toString('base64url')}`,
    )
    stripe.server = http.createServer((req, res) => {
      void stripe.handle(req, res)
    })
    await new Promise<void>(resolve => stripe.server.listen(0, '127.0.0.1', resolve))
    stripe.baseUrl = `http://127.0.0.1:${(stripe.server.address() as AddressInfo).port}`
    return stripe
  }

  async close() {
    this.server.closeAllConnections()
    await new Promise<void>((resolve, reject) => this.server.close(e => (e ? reject(e) : resolve())))
  }

  /** The next call to this method and path answers with this status and Stripe's api_error body (an outage). */
  failNext(method: 'GET' | 'POST', path: string, status = 500) {
    this.failures.push({ method, path, status })
  }

  // ---- the API ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', this.baseUrl)
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': randomId('req'), ...headers })
      res.end(typeof json === 'string' ? json : JSON.stringify(json, null, 2))
    }
    try {
      if (url.pathname.startsWith('/c/pay/')) return this.hostedPage(req, res, url, body)
      const form = new URLSearchParams(req.method === 'GET' ? url.search : body)
      this.requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body, form })
      this.authenticate(req.headers.authorization)
      const failure = this.failures.findIndex(f => f.method === req.method && f.path === url.pathname)
      if (failure >= 0) {
        const [f] = this.failures.splice(failure, 1)
        return send(f!.status, { error: { type: 'api_error', message: 'An unknown error occurred' } })
      }
      if (
        req.method === 'POST' &&
        (req.headers['content-type'] ?? '').split(';')[0] !== 'application/x-www-form-urlencoded'
      ) {
        throw new StripeError(400, {
          type: 'invalid_request_error',
          message: 'Invalid request: Content-Type must be application/x-www-form-urlencoded',
        })
      }
      const key = req.headers['idempotency-key']
      const fingerprint = `${req.method} ${url.pathname} ${body}`
      if (req.method === 'POST' && typeof key === 'string') {
        const earlier = this.idempotent.get(key)
        if (earlier && earlier.fingerprint !== fingerprint) {
          throw new StripeError(400, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          })
        }
        if (earlier)
          return send(earlier.status, earlier.body, { 'idempotent-replayed': 'true', 'idempotency-key': key })
      }
      let status = 200
      let answer: unknown
      try {
        answer = this.route(req.method ?? 'GET', url, form)
      } catch (error) {
        if (!(error instanceof StripeError)) throw error
        status = error.status
        answer = { error: error.body }
      }
      const text = JSON.stringify(answer, null, 2)
      // Stripe saves the answer of an idempotent request once its endpoint started, errors included.
      if (req.method === 'POST' && typeof key === 'string')
        this.idempotent.set(key, { fingerprint, status, body: text })
      return send(status, text, typeof key === 'string' ? { 'idempotency-key': key } : {})
    } catch (error) {
      if (error instanceof StripeError) return send(error.status, { error: error.body })
      return send(500, { error: { type: 'api_error', message: String(error) } })
    }
  }

  private authenticate(authorization: string | undefined) {
    if (!authorization) {
      throw new StripeError(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      })
    }
    const key = /^Bearer (.+)$/.exec(authorization)?.[1] ?? ''
    if (key !== this.secretKey) {
      throw new StripeError(401, {
        type: 'invalid_request_error',
        code: 'api_key_invalid',
        message: `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
      })
    }
  }

  private route(method: string, url: URL, form: URLSearchParams): unknown {
    const path = url.pathname
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(form)
    const sessionId = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path)?.[1]
    if (method === 'GET' && sessionId) {
      const session = this.sessionOr404(decodeURIComponent(sessionId))
      const expand = url.searchParams.getAll('expand[]')
      return expand.includes('payment_intent') && session.payment_intent
        ? { ...session, payment_intent: this.paymentIntents.get(session.payment_intent) }
        : session
    }
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(form)
    throw new StripeError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}).`,
    })
  }

  private sessionOr404(id: string): StripeSession {
    const session = this.sessions.get(id)
    if (!session)
      throw new StripeError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'session',
        message: `No such checkout.session: '${id}'`,
      })
    return session
  }

  private createSession(form: URLSearchParams): StripeSession {
    checkKnownParams(form, allowedSessionParams)
    const mode = form.get('mode')
    if (!mode) throw missing('mode')
    if (mode !== 'payment')
      throw new StripeError(400, {
        type: 'invalid_request_error',
        param: 'mode',
        message: 'Only mode=payment is implemented by this test server.',
      })
    const currency = form.get('line_items[0][price_data][currency]')
    if (!currency) throw missing('line_items[0][price_data][currency]')
    if (!/^[a-z]{3}$/.test(currency))
      throw new StripeError(400, {
        type: 'invalid_request_error',
        param: 'line_items[0][price_data][currency]',
        message: `Invalid currency: ${currency}.`,
      })
    const unitAmount = form.get('line_items[0][price_data][unit_amount]')
    if (unitAmount === null) throw missing('line_items[0][price_data][unit_amount]')
    if (!/^\d+$/.test(unitAmount))
      throw new StripeError(400, {
        type: 'invalid_request_error',
        param: 'line_items[0][price_data][unit_amount]',
        message: 'Invalid integer: ' + unitAmount,
      })
    const name = form.get('line_items[0][price_data][product_data][name]')
    if (!name) throw missing('line_items[0][price_data][product_data][name]')
    const quantity = form.get('line_items[0][quantity]')
    if (!quantity) throw missing('line_items[0][quantity]')
    const successUrl = form.get('success_url')
    if (!successUrl) throw missing('success_url')
    const amount = Number(unitAmount) * Number(quantity)
    const id = randomId('cs_test')
    const methodTypes = [...form.entries()].filter(([k]) => k.startsWith('payment_method_types[')).map(([, v]) => v)
    const session: StripeSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      livemode: false,
      created: unix(),
      expires_at: unix() + 24 * 3600,
      amount_subtotal: amount,
      amount_total: amount,
      currency,
      client_reference_id: form.get('client_reference_id'),
      metadata: metadataOf(form),
      payment_intent: null,
      payment_method_types: methodTypes.length ? methodTypes : ['card'],
      status: 'open',
      payment_status: 'unpaid',
      success_url: successUrl,
      cancel_url: form.get('cancel_url'),
      url: `${this.baseUrl}/c/pay/${id}`,
    }
    this.sessions.set(id, session)
    this.productNames.set(id, name)
    this.intentMetadata.set(id, metadataOf(form, 'payment_intent_data[metadata]'))
    return session
  }

  private createRefund(form: URLSearchParams): StripeRefund {
    checkKnownParams(form, allowedRefundParams)
    const intentId = form.get('payment_intent')
    if (!intentId) throw missing('payment_intent')
    const intent = this.paymentIntents.get(intentId)
    if (!intent)
      throw new StripeError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'payment_intent',
        message: `No such payment_intent: '${intentId}'`,
      })
    if (intent.status !== 'succeeded') {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        message: `This PaymentIntent (${intentId}) does not have a successful charge to refund.`,
      })
    }
    const reason = form.get('reason')
    if (reason !== null && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        param: 'reason',
        message: `Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`,
      })
    }
    const refunded = [...this.refunds.values()]
      .filter(r => r.payment_intent === intentId && r.status !== 'failed')
      .reduce((sum, r) => sum + r.amount, 0)
    const left = intent.amount_received - refunded
    const amountParam = form.get('amount')
    const amount = amountParam === null ? left : Number(amountParam)
    if (!Number.isInteger(amount) || amount < 1)
      throw new StripeError(400, {
        type: 'invalid_request_error',
        param: 'amount',
        message: 'Invalid positive integer',
      })
    const money = (cents: number) => `€${(cents / 100).toFixed(2)}`
    if (left === 0)
      throw new StripeError(400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        message: `Charge for PaymentIntent ${intentId} has already been refunded.`,
      })
    if (amount > left) {
      throw new StripeError(400, {
        type: 'invalid_request_error',
        param: 'amount',
        message: `Refund amount (${money(amount)}) is greater than unrefunded amount on charge (${money(left)})`,
      })
    }
    const refund: StripeRefund = {
      id: randomId('re'),
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: intentId,
      status: this.refundStatus,
      reason,
      metadata: metadataOf(form),
      created: unix(),
    }
    this.refunds.set(refund.id, refund)
    return refund
  }

  // ---- the hosted page ----

  private hostedPage(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string) {
    const session = this.sessions.get(url.pathname.slice('/c/pay/'.length))
    if (!session) {
      res.writeHead(404, { 'content-type': 'text/html' })
      return res.end('<h1>Not found</h1>')
    }
    if (req.method === 'POST') {
      const action = new URLSearchParams(body).get('action')
      if (action === 'pay' && session.status === 'open') {
        return this.completeSession(session.id, 'paid').then(() => {
          res.writeHead(303, { location: session.success_url })
          res.end()
        })
      }
      res.writeHead(303, { location: session.cancel_url ?? session.success_url })
      return res.end()
    }
    const amount = new Intl.NumberFormat('de-DE', {
      style: 'currency',
      currency: session.currency.toUpperCase(),
    }).format(session.amount_total / 100)
    res.writeHead(session.status === 'open' ? 200 : 410, { 'content-type': 'text/html; charset=utf-8' })
    return res.end(`<!doctype html><title>Checkout</title><h1>${escapeHtml(this.productNames.get(session.id) ?? '')}</h1>
<p class="amount">${escapeHtml(amount)}</p><form method="post"><button name="action" value="pay">Pay</button><button name="action" value="cancel">Back</button></form>`)
  }

  // ---- what the payer and Stripe do, and the webhooks that tell about it ----

  /**
   * The payer finishes (or abandons) the session: the session changes as at Stripe, and its events are
   * delivered signed to webhookUrl unless deliver is false (a webhook that never arrives).
   * async_paid/async_failed on an open session first complete it unpaid (a delayed method like SEPA debit).
   */
  async completeSession(id: string, outcome: SessionOutcome, options: { deliver?: boolean } = {}) {
    const session = this.sessions.get(id)
    if (!session) throw new Error(`no session ${id}`)
    const events: StripeEvent[] = []
    const intentFor = (status: StripePaymentIntent['status']) => {
      const intent: StripePaymentIntent = {
        id: randomId('pi'),
        object: 'payment_intent',
        amount: session.amount_total,
        amount_received: status === 'succeeded' ? session.amount_total : 0,
        currency: session.currency,
        status,
        metadata: this.intentMetadata.get(id) ?? {},
      }
      this.paymentIntents.set(intent.id, intent)
      return intent.id
    }
    const setIntent = (status: StripePaymentIntent['status']) => {
      const intent = this.paymentIntents.get(session.payment_intent!)!
      intent.status = status
      intent.amount_received = status === 'succeeded' ? intent.amount : 0
    }
    const complete = (paid: boolean) => {
      if (session.status !== 'open') throw new Error(`session ${id} is ${session.status}, not open`)
      Object.assign(session, {
        status: 'complete',
        payment_status: paid ? 'paid' : 'unpaid',
        url: null,
        payment_intent: intentFor(paid ? 'succeeded' : 'processing'),
      })
      events.push(this.recordEvent('checkout.session.completed', session))
    }
    switch (outcome) {
      case 'paid':
        complete(true)
        break
      case 'unpaid':
        complete(false)
        break
      case 'async_paid':
      case 'async_failed':
        if (session.status === 'open') complete(false)
        if (session.status !== 'complete' || session.payment_status !== 'unpaid')
          throw new Error(`session ${id} is not waiting for a delayed payment`)
        if (outcome === 'async_paid') {
          session.payment_status = 'paid'
          setIntent('succeeded')
        } else setIntent('requires_payment_method')
        events.push(
          this.recordEvent(
            outcome === 'async_paid'
              ? 'checkout.session.async_payment_succeeded'
              : 'checkout.session.async_payment_failed',
            session,
          ),
        )
        break
      case 'expired':
        if (session.status !== 'open') throw new Error(`session ${id} is ${session.status}, not open`)
        Object.assign(session, { status: 'expired', url: null })
        events.push(this.recordEvent('checkout.session.expired', session))
        break
    }
    const deliveries: Delivery[] = []
    if (options.deliver !== false) for (const event of events) deliveries.push((await this.deliver(event))[0]!)
    return { session, events, deliveries }
  }

  /** An event as Stripe builds it: a snapshot of the object at the time, optionally changed (a tampered copy). */
  buildEvent(type: string, object: Record<string, unknown>, changes: Record<string, unknown> = {}): StripeEvent {
    return {
      id: randomId('evt'),
      object: 'event',
      api_version: '2024-06-20',
      created: unix(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: { ...structuredClone(object), ...changes } },
    }
  }

  private recordEvent(type: string, session: StripeSession) {
    const event = this.buildEvent(type, session as unknown as Record<string, unknown>)
    this.events.push(event)
    return event
  }

  /** "t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<payload>'>", one v1 per secret. */
  signatureHeader(payload: string, timestamp = unix(), secrets = [this.webhookSecret]) {
    const v1 = secrets.map(
      s => `v1=${crypto.createHmac('sha256', s).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`,
    )
    return [`t=${timestamp}`, ...v1].join(',')
  }

  /** Posts the event as Stripe does (pretty-printed JSON, signed) to webhookUrl; once per `times`. */
  async deliver(event: StripeEvent, options: DeliverOptions = {}): Promise<Delivery[]> {
    if (!this.webhookUrl) throw new Error('webhookUrl is not set')
    const payload = JSON.stringify(event, null, 2)
    const signatureHeader =
      options.header ??
      this.signatureHeader(payload, options.timestamp, options.secrets ?? [options.secret ?? this.webhookSecret])
    const deliveries: Delivery[] = []
    for (let i = 0; i < (options.times ?? 1); i++) {
      const res = await fetch(this.webhookUrl, {
        method: 'POST',
        body: payload,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signatureHeader,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
      })
      deliveries.push({ status: res.status, body: await res.text(), signatureHeader, payload })
    }
    return deliveries
  }
}
