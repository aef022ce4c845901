import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { formatMoney, isLocale, translator } from '../../platform/i18n/i18n.js'
import { findCase, insertCaseEvent } from '../cases/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { PaymentNotFound, RefundNotPossible } from './payments.errors.js'
import {
  addRefundedAmount,
  findPayment,
  insertRefund,
  insertRefundRequest,
  lockPayment,
  settleRefund,
  sumActiveRefunds,
  type PaymentRow,
} from './payments.queries.js'
import type { PaymentProvider } from './providers/provider.js'

export const REFUND_REASON_MAX = 500

export interface RefundOutcome {
  refundId: string
  status: 'succeeded' | 'pending' | 'failed'
  amountCents: number
}

/** What a refund needs besides the database: the provider, and the address links in the payer's mail point to. */
export interface RefundDeps {
  db: Db
  provider: PaymentProvider
  baseUrl: string
}

/** What may still be paid back: the paid amount less every refund that has not failed. */
export async function refundableCents(db: Db, payment: PaymentRow): Promise<number> {
  if (payment.status !== 'paid') return 0
  return payment.amountCents - (await sumActiveRefunds(db, payment.id))
}

/** Whether this amount may be paid back, given what is left; throws what stops it. */
async function checkRefundable(db: Db, payment: PaymentRow, amountCents: number): Promise<void> {
  if (payment.status !== 'paid' || !payment.providerPaymentId) throw new RefundNotPossible('notPaid')
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new RefundNotPossible('amountInvalid')
  const available = payment.amountCents - (await sumActiveRefunds(db, payment.id))
  if (amountCents > available) throw new RefundNotPossible('aboveAvailable', available)
}

/**
 * Reserves a refund under the payment's lock (taken by the caller), so two refunds at once can never together
 * exceed the amount. The refund's id is the provider's idempotency key.
 */
export async function reserveRefund(
  trx: Trx,
  payment: PaymentRow,
  refund: { id: string; amountCents: number; reason: string },
  staffId: string | null,
): Promise<void> {
  await checkRefundable(trx, payment, refund.amountCents)
  await insertRefund(trx, {
    id: refund.id,
    paymentId: payment.id,
    amountCents: refund.amountCents,
    reason: refund.reason,
    staffId,
  })
  await audit(trx, {
    actor: { staffId },
    action: 'payment.refund.request',
    subjectType: 'payment',
    subjectId: payment.id,
    officeId: payment.officeId,
    details: {
      refundId: refund.id,
      amountCents: refund.amountCents,
      reason: refund.reason,
      reference: payment.reference,
    },
  })
}

export type RefundStart = { kind: 'refunded'; outcome: RefundOutcome } | { kind: 'awaitingApproval'; requestId: string }

/**
 * Pays back all or part of a paid payment. While the payment's refunds together stay within the approval threshold
 * one person suffices: the refund is reserved, the provider asked, the answer booked. Above it, the four-eyes
 * principle: the refund is only requested, and a second person approves it (approveRefundRequest); nothing is
 * reserved while it waits.
 */
export async function startRefund(
  deps: RefundDeps & { approvalAboveCents: number },
  staff: StaffMember,
  paymentId: string,
  amountCents: number,
  reason: string,
): Promise<RefundStart> {
  const id = crypto.randomUUID()
  const reserved = await deps.db.transaction().execute(async trx => {
    const payment = await lockPayment(trx, paymentId)
    if (!payment) throw new PaymentNotFound()
    // What this payment already paid back counts too: two refunds just under the amount need a second person as one would.
    const needsApproval = amountCents + (await sumActiveRefunds(trx, payment.id)) > deps.approvalAboveCents
    if (!needsApproval) {
      await reserveRefund(trx, payment, { id, amountCents, reason }, staff.id)
      return payment
    }
    // Checked now so nobody approves what could not be paid back; checked again, under the lock, on approval.
    await checkRefundable(trx, payment, amountCents)
    await insertRefundRequest(trx, { id, paymentId, amountCents, reason, staffId: staff.id })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'payment.refund.approvalRequest',
      subjectType: 'payment',
      subjectId: paymentId,
      officeId: payment.officeId,
      details: {
        requestId: id,
        amountCents,
        reason,
        reference: payment.reference,
        approvalAboveCents: deps.approvalAboveCents,
      },
    })
    return null
  })
  if (!reserved) return { kind: 'awaitingApproval', requestId: id }
  return { kind: 'refunded', outcome: await askProviderToRefund(deps, reserved, { id, amountCents, reason }, staff.id) }
}

/**
 * Asks the provider for a reserved refund and books its answer; also used to retry refunds a crash left pending.
 * Money that went back is told to the payer, once: only the call that settles the pending refund books and tells.
 */
export async function askProviderToRefund(
  deps: RefundDeps,
  payment: Pick<PaymentRow, 'id' | 'providerPaymentId'>,
  refund: { id: string; amountCents: number; reason: string },
  staffId: string | null,
): Promise<RefundOutcome> {
  const { db, provider } = deps
  let answer: Awaited<ReturnType<PaymentProvider['refund']>>
  try {
    answer = await provider.refund({
      providerPaymentId: payment.providerPaymentId ?? '',
      amountCents: refund.amountCents,
      currency: 'EUR',
      idempotencyKey: refund.id,
      reason: refund.reason,
    })
  } catch {
    // Unknown whether the provider booked it: the refund stays pending and reconciliation asks again with the same key.
    return { refundId: refund.id, status: 'pending', amountCents: refund.amountCents }
  }
  if (answer.status === 'pending') return { refundId: refund.id, status: 'pending', amountCents: refund.amountCents }
  await db.transaction().execute(async trx => {
    await lockPayment(trx, payment.id)
    const settled = await settleRefund(
      trx,
      refund.id,
      answer.status === 'succeeded' ? 'succeeded' : 'failed',
      answer.providerRefundId || null,
    )
    if (!settled || answer.status !== 'succeeded') return
    await addRefundedAmount(trx, payment.id, refund.amountCents)
    const current = await findPayment(trx, payment.id)
    if (current?.caseId) {
      await insertCaseEvent(trx, {
        caseId: current.caseId,
        kind: 'payment_refunded',
        internal: false,
        actorStaffId: staffId,
        data: { refundId: refund.id, reference: current.reference, amountCents: refund.amountCents },
      })
      await tellPayer(
        trx,
        deps.baseUrl,
        current.caseId,
        { reference: current.reference, amountCents: refund.amountCents, reason: refund.reason },
        staffId,
      )
    }
    await audit(trx, {
      actor: { staffId },
      action: 'payment.refund',
      subjectType: 'payment',
      subjectId: payment.id,
      officeId: current?.officeId ?? null,
      details: { refundId: refund.id, amountCents: refund.amountCents, providerRefundId: answer.providerRefundId },
    })
  })
  return { refundId: refund.id, status: answer.status, amountCents: refund.amountCents }
}

/** Postbox message (and mail) to the applicant, in the language they applied in: how much, why, which payment. */
async function tellPayer(
  trx: Trx,
  baseUrl: string,
  caseId: string,
  refund: { reference: string; amountCents: number; reason: string },
  staffId: string | null,
) {
  const c = await findCase(trx, caseId)
  if (!c) return
  const locale = isLocale(c.locale) ? c.locale : 'de'
  const t = translator(locale)
  const params = {
    amount: formatMoney(refund.amountCents, locale),
    reason: refund.reason,
    reference: refund.reference,
    caseReference: c.reference,
  }
  await deliverToApplicant(
    trx,
    {
      caseId: c.id,
      reference: c.reference,
      accountId: c.accountId,
      applicantEmail: c.applicantEmail,
      locale,
      senderStaffId: staffId,
      subject: t.text('payments.refundMessage.subject', params),
      body: t.text('payments.refundMessage.body', params),
    },
    baseUrl,
  )
}
