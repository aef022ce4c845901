import crypto from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { Db } from '../../../platform/db/database.js'
import { NotificationRefused } from '../payments.errors.js'
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
import { isUuid } from '../../../platform/http/ids.js'

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature'
// What payers in Germany use; giropay ended in 2024.
export const SANDBOX_METHODS = ['card', 'paypal', 'sepa', 'wero'] as const
export type SandboxMethod = (typeof SANDBOX_METHODS)[number]

const SandboxNotification = Type.Object({
  eventId: Type.String({ minLength: 1, maxLength: 100 }),
  providerPaymentId: Type.String({ minLength: 1, maxLength: 100 }),
  reference: Type.String({ minLength: 1, maxLength: 100 }),
  amountCents: Type.Integer({ minimum: 0 }),
  currency: Type.String({ maxLength: 3 }),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('paid'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ]),
  method: Type.Optional(Type.String({ maxLength: 20 })),
})

/** "sha256=<hex>": HMAC-SHA256 of the raw body with the shared secret. */
export function signSandboxBody(secret: string, rawBody: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`
}

/**
 * The built-in provider for development and demos. Its hosted page lives in this app
 * (/payments/sandbox/:id); it keeps its own book (sandbox_provider_payments) like a real provider.
 */
export function sandboxProvider(db: Db, secret: string): PaymentProvider {
  return {
    id: 'sandbox',

    async startPayment(request: StartPaymentRequest): Promise<StartedPayment> {
      const id = crypto.randomUUID()
      await db
        .insertInto('sandbox_provider_payments')
        .values({
          id,
          reference: request.reference,
          amount_cents: request.amountCents,
          currency: request.currency,
          description: request.description,
          return_url: request.returnUrl,
          notify_url: request.notifyUrl,
        })
        .execute()
      return { providerPaymentId: id, redirectUrl: `/payments/sandbox/${id}` }
    },

    verifyNotification(headers: NotificationHeaders, rawBody: string): VerifiedNotification {
      const sent = headers[SANDBOX_SIGNATURE_HEADER]
      const expected = signSandboxBody(secret, rawBody)
      if (
        typeof sent !== 'string' ||
        sent.length !== expected.length ||
        !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected))
      ) {
        throw new NotificationRefused(401, 'signature')
      }
      let body: unknown
      try {
        body = JSON.parse(rawBody)
      } catch {
        throw new NotificationRefused(400, 'body')
      }
      if (!Value.Check(SandboxNotification, body)) throw new NotificationRefused(400, 'body')
      return {
        eventId: body.eventId,
        providerPaymentId: body.providerPaymentId,
        reference: body.reference,
        amountCents: body.amountCents,
        currency: body.currency,
        status: body.status,
      }
    },

    async fetchStatus(providerPaymentId: string): Promise<ProviderPaymentStatus | null> {
      if (!isUuid(providerPaymentId)) return null
      const row = await db
        .selectFrom('sandbox_provider_payments')
        .select(['status', 'amount_cents', 'currency'])
        .where('id', '=', providerPaymentId)
        .executeTakeFirst()
      return row ? { status: row.status, amountCents: row.amount_cents, currency: row.currency } : null
    },

    async refund(request: RefundRequest): Promise<ProviderRefund> {
      // Like a real provider: only a paid payment, never more than was paid in all, the same key once.
      return db.transaction().execute(async trx => {
        const payment = isUuid(request.providerPaymentId)
          ? await trx
              .selectFrom('sandbox_provider_payments')
              .select(['status', 'amount_cents'])
              .where('id', '=', request.providerPaymentId)
              .forUpdate()
              .executeTakeFirst()
          : undefined
        const earlier = await trx
          .selectFrom('sandbox_provider_refunds')
          .select('id')
          .where('idempotency_key', '=', request.idempotencyKey)
          .executeTakeFirst()
        if (earlier) return { providerRefundId: earlier.id, status: 'succeeded' as const }
        if (payment?.status !== 'paid') return { providerRefundId: '', status: 'failed' as const }
        const refunded = await trx
          .selectFrom('sandbox_provider_refunds')
          .select(eb => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('sum'))
          .where('payment_id', '=', request.providerPaymentId)
          .executeTakeFirstOrThrow()
        if (Number(refunded.sum) + request.amountCents > payment.amount_cents)
          return { providerRefundId: '', status: 'failed' as const }
        const id = crypto.randomUUID()
        await trx
          .insertInto('sandbox_provider_refunds')
          .values({
            id,
            payment_id: request.providerPaymentId,
            amount_cents: request.amountCents,
            idempotency_key: request.idempotencyKey,
          })
          .execute()
        return { providerRefundId: id, status: 'succeeded' as const }
      })
    },
  }
}

export interface SandboxPayment {
  id: string
  reference: string
  amountCents: number
  currency: string
  description: string
  returnUrl: string
  status: 'open' | 'paid' | 'failed' | 'cancelled'
}

export async function findSandboxPayment(db: Db, id: string): Promise<SandboxPayment | undefined> {
  return db
    .selectFrom('sandbox_provider_payments')
    .select([
      'id',
      'reference',
      'amount_cents as amountCents',
      'currency',
      'description',
      'return_url as returnUrl',
      'status',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * The payer pressed a button on the sandbox page: the sandbox books it once and returns the signed
 * notification it must deliver, or null when the payment was already completed.
 */
export async function completeSandboxPayment(
  db: Db,
  secret: string,
  id: string,
  outcome: 'paid' | 'failed' | 'cancelled',
  method: SandboxMethod,
) {
  const row = await db
    .updateTable('sandbox_provider_payments')
    .set({ status: outcome, method, completed_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning(['reference', 'amount_cents', 'currency', 'notify_url', 'return_url'])
    .executeTakeFirst()
  if (!row) return null
  const body = JSON.stringify({
    eventId: `${id}:${outcome}`,
    providerPaymentId: id,
    reference: row.reference,
    amountCents: row.amount_cents,
    currency: row.currency,
    status: outcome,
    method,
  })
  return { notifyUrl: row.notify_url, returnUrl: row.return_url, body, signature: signSandboxBody(secret, body) }
}
