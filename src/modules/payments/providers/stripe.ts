import crypto from 'node:crypto'
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { NotificationRefused, PaymentProviderFailed } from '../payments.errors.js'
import type {
  NotificationHeaders,
  PaymentProvider,
  ProviderPaymentStatus,
  ProviderRefund,
  RefundRequest,
  StartPaymentRequest,
  StartedPayment,
  VerifiedNotification,
} from './provider.js'

/**
 * Stripe Checkout + webhooks, spoken directly over HTTP (no SDK), as documented at
 * docs.stripe.com/api/checkout/sessions, /api/refunds, /webhooks#verify-manually and /api/idempotent_requests.
 */

/** Pinned, so Stripe answers in the shape written against here whatever the account's default version is. */
export const STRIPE_API_VERSION = '2024-06-20'
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature'
/** The events to subscribe the webhook endpoint to; any other verified event is answered 200 and ignored. */
export const STRIPE_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
] as const

const DEFAULT_TOLERANCE_SECONDS = 300
const REQUEST_TIMEOUT_MS = 30_000

export interface StripeProviderOptions {
  /** https://api.stripe.com, or a local server that speaks the same protocol (tests). */
  apiBase: string
  /** Secret key (sk_live_…, sk_test_…, or a restricted key allowed to write Checkout Sessions and Refunds). */
  secretKey: string
  /** Signing secret (whsec_…) of the webhook endpoint registered for /payments/notify/stripe. */
  webhookSecret: string
  /** How far a signed timestamp may be from now; Stripe's libraries use 300 s. */
  toleranceSeconds?: number
  now?: () => Date
  /** Limits the payment methods offered; without it Checkout offers what the Stripe dashboard enables. */
  paymentMethodTypes?: readonly string[]
}

export interface StripeSignature {
  timestamp: number
  signatures: string[]
}

/**
 * Reads "t=<unix seconds>,v1=<hex>[,v1=<hex>…]" (more than one v1 while a secret is being rolled; v0 and
 * other schemes are not HMAC-SHA256 and do not count). Null when there is no single timestamp or no v1.
 */
export function parseStripeSignature(header: string): StripeSignature | null {
  let timestamp: number | null = null
  const signatures: string[] = []
  for (const item of header.split(',')) {
    const eq = item.indexOf('=')
    if (eq < 0) continue
    const key = item.slice(0, eq).trim()
    const value = item.slice(eq + 1).trim()
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null
      timestamp = Number(value)
    } else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) {
      signatures.push(value)
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures }
}

/** HMAC-SHA256 with the endpoint's signing secret over "<timestamp>.<exact body>", hex. */
function expectedSignature(secret: string, timestamp: number, rawBody: string): Buffer {
  return Buffer.from(crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex'))
}

// Only the fields this adapter reads; Stripe sends many more, which the checks let through.
const StripeEvent = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 255 }),
  object: Type.Literal('event'),
  type: Type.String({ minLength: 1, maxLength: 100 }),
  data: Type.Object({ object: Type.Object({}) }),
})

const CheckoutSession = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 255 }),
  object: Type.Literal('checkout.session'),
  mode: Type.String(),
  client_reference_id: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  amount_total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  currency: Type.Union([Type.String({ minLength: 3, maxLength: 3 }), Type.Null()]),
  status: Type.Union([Type.Literal('open'), Type.Literal('complete'), Type.Literal('expired'), Type.Null()]),
  payment_status: Type.Union([Type.Literal('paid'), Type.Literal('unpaid'), Type.Literal('no_payment_required')]),
  url: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  payment_intent: Type.Optional(
    Type.Union([Type.String(), Type.Null(), Type.Object({ id: Type.String(), status: Type.String() })]),
  ),
})
type CheckoutSession = Static<typeof CheckoutSession>

const Refund = Type.Object({
  id: Type.String({ minLength: 1 }),
  object: Type.Literal('refund'),
  status: Type.Union([Type.String(), Type.Null()]),
})

/** What Stripe answered with an error status (or that it could not be reached: status 0). */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message)
  }
}

/** The reported state of a session event; null for event types no payment here follows. */
function statusOfEvent(type: string, session: CheckoutSession): VerifiedNotification['status'] | null {
  switch (type) {
    // Card payments are paid at completion; SEPA debit and other delayed methods complete "unpaid" and report later.
    case 'checkout.session.completed':
      return session.payment_status === 'paid' ? 'paid' : 'pending'
    case 'checkout.session.async_payment_succeeded':
      return 'paid'
    case 'checkout.session.async_payment_failed':
      return 'failed'
    case 'checkout.session.expired':
      return 'cancelled'
    default:
      return null
  }
}

/** A session as reconciliation sees it; the expanded payment intent tells a delayed payment that failed from one still running. */
function statusOfSession(session: CheckoutSession): ProviderPaymentStatus['status'] {
  if (session.status === 'expired') return 'cancelled'
  if (session.status !== 'complete') return 'open'
  if (session.payment_status === 'paid') return 'paid'
  const intent = session.payment_intent
  const intentStatus = intent && typeof intent === 'object' ? intent.status : null
  return intentStatus === 'requires_payment_method' || intentStatus === 'canceled' ? 'failed' : 'pending'
}

function statusOfRefund(status: string | null): ProviderRefund['status'] {
  if (status === 'succeeded') return 'succeeded'
  if (status === 'failed' || status === 'canceled') return 'failed'
  // pending, requires_action (the customer must give bank details first): money not back yet.
  return 'pending'
}

/** Stripe's form encoding keeps the brackets readable, as its own libraries send them. */
const encodeForm = (form: URLSearchParams) => form.toString().replace(/%5B/g, '[').replace(/%5D/g, ']')

export function stripeProvider(options: StripeProviderOptions): PaymentProvider {
  const apiBase = options.apiBase.replace(/\/+$/, '')
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  const now = options.now ?? (() => new Date())

  async function call<S extends TSchema>(
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    request: { form?: URLSearchParams; idempotencyKey?: string } = {},
  ): Promise<Static<S>> {
    const label = `Stripe ${method} ${path.split('?')[0]}`
    let res: Response
    try {
      res = await fetch(`${apiBase}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          'stripe-version': STRIPE_API_VERSION,
          ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          // Retrying a call with the same key returns the first answer, so a timeout never creates twice.
          ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
        },
        body: request.form ? encodeForm(request.form) : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
    } catch (error) {
      throw new StripeApiError(
        0,
        'network',
        undefined,
        `${label} unreachable: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    const text = await res.text()
    let body: unknown = null
    try {
      body = JSON.parse(text)
    } catch {
      body = null
    } // judged below: an error page of a proxy is no JSON
    if (!res.ok) {
      // Stripe's messages never carry the whole key (it masks all but the last four characters).
      const error = (body as { error?: { type?: unknown; code?: unknown; message?: unknown } } | null)?.error
      const message =
        typeof error?.message === 'string' ? error.message : `no Stripe error body (${text.slice(0, 100)})`
      throw new StripeApiError(
        res.status,
        typeof error?.type === 'string' ? error.type : 'api_error',
        typeof error?.code === 'string' ? error.code : undefined,
        `${label} answered ${res.status}: ${message}`,
      )
    }
    if (!Value.Check(schema, body))
      throw new StripeApiError(
        res.status,
        'api_error',
        undefined,
        `${label} answered ${res.status} with an unexpected body`,
      )
    return body
  }

  const retrieveSession = (id: string, expandIntent = false) =>
    call(
      CheckoutSession,
      'GET',
      `/v1/checkout/sessions/${encodeURIComponent(id)}${expandIntent ? '?expand[]=payment_intent' : ''}`,
    )

  return {
    id: 'stripe',

    async startPayment(request: StartPaymentRequest): Promise<StartedPayment> {
      const form = new URLSearchParams()
      form.set('mode', 'payment')
      form.set('line_items[0][price_data][currency]', request.currency.toLowerCase())
      form.set('line_items[0][price_data][unit_amount]', String(request.amountCents))
      form.set('line_items[0][price_data][product_data][name]', request.description)
      form.set('line_items[0][quantity]', '1')
      form.set('client_reference_id', request.reference)
      form.set('metadata[reference]', request.reference)
      // On the payment intent too, so the treasury finds our reference on the charge in the Stripe dashboard.
      form.set('payment_intent_data[metadata][reference]', request.reference)
      // Back to the same page either way: what happened is read from the webhook, never from the URL.
      form.set('success_url', request.returnUrl)
      form.set('cancel_url', request.returnUrl)
      for (const [i, type] of (options.paymentMethodTypes ?? []).entries()) form.set(`payment_method_types[${i}]`, type)
      try {
        const session = await call(CheckoutSession, 'POST', '/v1/checkout/sessions', {
          form,
          idempotencyKey: request.reference,
        })
        if (!session.url)
          throw new StripeApiError(
            200,
            'api_error',
            undefined,
            `Stripe POST /v1/checkout/sessions answered a session without url (${session.id})`,
          )
        return { providerPaymentId: session.id, redirectUrl: session.url }
      } catch (error) {
        throw new PaymentProviderFailed('start', { cause: error })
      }
    },

    verifyNotification(headers: NotificationHeaders, rawBody: string): VerifiedNotification | null {
      const header = headers[STRIPE_SIGNATURE_HEADER]
      const signature = typeof header === 'string' ? parseStripeSignature(header) : null
      if (!signature) throw new NotificationRefused(401, 'signature')
      const expected = expectedSignature(options.webhookSecret, signature.timestamp, rawBody)
      // Each v1 is compared (both are sent while a secret is rolled); all are 64 hex characters, as is expected.
      if (!signature.signatures.some(s => crypto.timingSafeEqual(Buffer.from(s), expected)))
        throw new NotificationRefused(401, 'signature')
      // The timestamp is signed too: a delivery captured and replayed later is refused.
      if (Math.abs(now().getTime() / 1000 - signature.timestamp) > tolerance)
        throw new NotificationRefused(401, 'timestamp')

      let event: unknown
      try {
        event = JSON.parse(rawBody)
      } catch {
        throw new NotificationRefused(400, 'body')
      }
      if (!Value.Check(StripeEvent, event)) throw new NotificationRefused(400, 'body')
      if (!(STRIPE_EVENTS as readonly string[]).includes(event.type)) return null
      const session = event.data.object
      if (!Value.Check(CheckoutSession, session)) throw new NotificationRefused(400, 'body')
      // Sessions this platform did not make (payment links, subscriptions) carry no reference of ours.
      if (session.mode !== 'payment' || !session.client_reference_id) return null
      const status = statusOfEvent(event.type, session)
      if (!status) return null
      if (session.amount_total === null || session.currency === null) throw new NotificationRefused(400, 'body')
      return {
        eventId: event.id,
        providerPaymentId: session.id,
        reference: session.client_reference_id,
        amountCents: session.amount_total,
        currency: session.currency.toUpperCase(),
        status,
      }
    },

    async fetchStatus(providerPaymentId: string): Promise<ProviderPaymentStatus | null> {
      let session: CheckoutSession
      try {
        session = await retrieveSession(providerPaymentId, true)
      } catch (error) {
        if (error instanceof StripeApiError && error.status === 404) return null
        throw new PaymentProviderFailed('status', { cause: error })
      }
      return {
        status: statusOfSession(session),
        amountCents: session.amount_total ?? 0,
        currency: (session.currency ?? '').toUpperCase(),
      }
    },

    async refund(request: RefundRequest): Promise<ProviderRefund> {
      const failed = { providerRefundId: '', status: 'failed' } as const
      try {
        let session: CheckoutSession
        try {
          session = await retrieveSession(request.providerPaymentId)
        } catch (error) {
          if (error instanceof StripeApiError && error.status === 404) return failed
          throw error
        }
        const intent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id
        if (!intent || session.payment_status !== 'paid') return failed
        const form = new URLSearchParams()
        form.set('payment_intent', intent)
        form.set('amount', String(request.amountCents))
        // Stripe's own "reason" is an enumeration; our free text goes to the metadata.
        form.set('metadata[reason]', request.reason.slice(0, 500))
        try {
          const refund = await call(Refund, 'POST', '/v1/refunds', { form, idempotencyKey: request.idempotencyKey })
          return { providerRefundId: refund.id, status: statusOfRefund(refund.status) }
        } catch (error) {
          // Stripe refused this refund for good (more than is left, already refunded); a reused key with other parameters is our bug.
          if (
            error instanceof StripeApiError &&
            (error.status === 400 || error.status === 402) &&
            error.type !== 'idempotency_error'
          )
            return failed
          throw error
        }
      } catch (error) {
        throw new PaymentProviderFailed('refund', { cause: error })
      }
    },
  }
}
