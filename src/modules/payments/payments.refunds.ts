import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { insertCaseEvent } from '../cases/index.js'
import { PaymentNotFound, RefundNotPossible } from './payments.errors.js'
import { addRefundedAmount, findPayment, insertRefund, lockPayment, settleRefund, sumActiveRefunds, type PaymentRow } from './payments.queries.js'
import type { PaymentProvider } from './providers/provider.js'

export const REFUND_REASON_MAX = 500

export interface RefundOutcome { refundId: string; status: 'succeeded' | 'pending' | 'failed'; amountCents: number }

/** What may still be paid back: the paid amount less every refund that has not failed. */
export async function refundableCents(db: Db, payment: PaymentRow): Promise<number> {
  if (payment.status !== 'paid') return 0
  return payment.amountCents - await sumActiveRefunds(db, payment.id)
}

/**
 * Pays back all or part of a paid payment. The refund is first reserved under the payment's lock, so two
 * refunds at once can never together exceed the amount; then the provider is asked (with the refund's id
 * as idempotency key, so a retry after a crash cannot pay twice); then the answer is booked.
 */
export async function refundPayment(db: Db, provider: PaymentProvider, actor: { staff: StaffMember | null }, paymentId: string, amountCents: number, reason: string): Promise<RefundOutcome> {
  const refundId = crypto.randomUUID()
  const reserved = await db.transaction().execute(async (trx) => {
    const payment = await lockPayment(trx, paymentId)
    if (!payment) throw new PaymentNotFound()
    if (payment.status !== 'paid' || !payment.providerPaymentId) throw new RefundNotPossible('notPaid')
    const available = payment.amountCents - await sumActiveRefunds(trx, payment.id)
    if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new RefundNotPossible('amountInvalid')
    if (amountCents > available) throw new RefundNotPossible('aboveAvailable', available)
    await insertRefund(trx, { id: refundId, paymentId, amountCents, reason, staffId: actor.staff?.id ?? null })
    await audit(trx, {
      actor: { staffId: actor.staff?.id ?? null }, action: 'payment.refund.request', subjectType: 'payment', subjectId: paymentId,
      officeId: payment.officeId, details: { refundId, amountCents, reason, reference: payment.reference },
    })
    return payment
  })
  return askProviderToRefund(db, provider, reserved, { id: refundId, amountCents, reason }, actor.staff?.id ?? null)
}

/** Asks the provider for a reserved refund and books its answer; also used to retry refunds a crash left pending. */
export async function askProviderToRefund(db: Db, provider: PaymentProvider, payment: Pick<PaymentRow, 'id' | 'providerPaymentId'>,
  refund: { id: string; amountCents: number; reason: string }, staffId: string | null): Promise<RefundOutcome> {
  let answer: Awaited<ReturnType<PaymentProvider['refund']>>
  try {
    answer = await provider.refund({ providerPaymentId: payment.providerPaymentId ?? '', amountCents: refund.amountCents, currency: 'EUR', idempotencyKey: refund.id, reason: refund.reason })
  } catch {
    // Unknown whether the provider booked it: the refund stays pending and reconciliation asks again with the same key.
    return { refundId: refund.id, status: 'pending', amountCents: refund.amountCents }
  }
  if (answer.status === 'pending') return { refundId: refund.id, status: 'pending', amountCents: refund.amountCents }
  await db.transaction().execute(async (trx) => {
    await lockPayment(trx, payment.id)
    const settled = await settleRefund(trx, refund.id, answer.status === 'succeeded' ? 'succeeded' : 'failed', answer.providerRefundId || null)
    if (!settled || answer.status !== 'succeeded') return
    await addRefundedAmount(trx, payment.id, refund.amountCents)
    const current = await findPayment(trx, payment.id)
    if (current?.caseId) {
      await insertCaseEvent(trx, { caseId: current.caseId, kind: 'payment_refunded', internal: false, actorStaffId: staffId, data: { refundId: refund.id, reference: current.reference, amountCents: refund.amountCents } })
    }
    await audit(trx, {
      actor: { staffId }, action: 'payment.refund', subjectType: 'payment', subjectId: payment.id, officeId: current?.officeId ?? null,
      details: { refundId: refund.id, amountCents: refund.amountCents, providerRefundId: answer.providerRefundId },
    })
  })
  return { refundId: refund.id, status: answer.status, amountCents: refund.amountCents }
}
