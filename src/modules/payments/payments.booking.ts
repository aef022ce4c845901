import type { Trx } from '../../platform/db/database.js'
import type { PaymentStatus } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { enqueueJob } from '../../platform/jobs/index.js'
import { insertCaseEvent } from '../cases/index.js'
import { insertPaymentEvent, markFeeNoticePaid, setPaymentStatus, type PaymentRow } from './payments.queries.js'
import type { VerifiedNotification } from './providers/provider.js'

/** The job that writes a paid payment's receipt into the payer's postbox. */
export const RECEIPT_JOB = 'payments.receipt'

/**
 * Where a reported state may take a payment. Paid is never undone by a late or forged "failed":
 * only a refund leaves it. A failure or cancellation may still turn into paid, because money that
 * did arrive must be booked.
 */
export function nextPaymentStatus(current: PaymentStatus, reported: VerifiedNotification['status']): PaymentStatus {
  if (current === 'paid' || current === 'refunded') return current
  if (reported === 'paid') return 'paid'
  if (current === 'failed' || current === 'cancelled') return current
  if (reported === 'pending') return current === 'open' ? 'pending' : current
  return reported
}

/** What is kept of a refused body: enough to investigate, not enough to fill the disk. */
export const clipRaw = (raw: string) => raw.slice(0, 4000)

export type Reported = Pick<VerifiedNotification, 'eventId' | 'reference' | 'amountCents' | 'currency' | 'status'>

export type BookingResult =
  | { refused: string }
  | {
      paymentId: string
      status: PaymentStatus
      outcome: 'applied' | 'ignored' | 'duplicate'
      /** Set when a draft's payment was just booked as paid and no case exists yet: the caller submits it after commit. */
      draftToSubmit: string | null
    }

/**
 * Books what the provider reported (a notification, or its answer to reconciliation) on a payment the
 * caller has locked: checked against our row, recorded once per event id, applied at most once.
 * A paid draft payment is not made into a case here: the caller does that after commit (submitPaidDraft).
 */
export async function applyReportedStatus(
  trx: Trx,
  payment: PaymentRow,
  reported: Reported,
  raw: string,
): Promise<BookingResult> {
  const refuse = async (outcome: string) => {
    await insertPaymentEvent(trx, {
      paymentId: payment.id,
      provider: payment.provider,
      providerEventId: null,
      verified: true,
      outcome,
      reportedStatus: reported.status,
      raw: clipRaw(raw),
    })
    return { refused: outcome }
  }
  if (payment.reference !== reported.reference) return refuse('mismatch:reference')
  if (payment.amountCents !== reported.amountCents) return refuse('mismatch:amount')
  if (payment.currency !== reported.currency) return refuse('mismatch:currency')
  const next = nextPaymentStatus(payment.status, reported.status)
  const outcome = next === payment.status ? 'ignored' : 'applied'
  const recorded = await insertPaymentEvent(trx, {
    paymentId: payment.id,
    provider: payment.provider,
    providerEventId: reported.eventId,
    verified: true,
    outcome,
    reportedStatus: reported.status,
    raw,
  })
  if (!recorded) return { paymentId: payment.id, status: payment.status, outcome: 'duplicate', draftToSubmit: null }
  if (outcome === 'applied') {
    await setPaymentStatus(trx, payment.id, next)
    await audit(trx, {
      actor: {},
      action: 'payment.status',
      subjectType: 'payment',
      subjectId: payment.id,
      officeId: payment.officeId,
      details: {
        from: payment.status,
        to: next,
        reference: payment.reference,
        amountCents: payment.amountCents,
        eventId: reported.eventId,
      },
    })
    if (next === 'paid') await bookPaid(trx, payment)
  }
  const draftToSubmit =
    outcome === 'applied' && next === 'paid' && payment.draftId && !payment.caseId ? payment.draftId : null
  return { paymentId: payment.id, status: next, outcome, draftToSubmit }
}

/** A payment of a case (a fee notice) was booked as paid: the notice is settled and a receipt is on its way. */
async function bookPaid(trx: Trx, payment: PaymentRow) {
  if (payment.feeNoticeId) await markFeeNoticePaid(trx, payment.feeNoticeId)
  if (payment.caseId) {
    await insertCaseEvent(trx, {
      caseId: payment.caseId,
      kind: 'payment_paid',
      internal: false,
      data: { paymentId: payment.id, reference: payment.reference, amountCents: payment.amountCents },
    })
    await enqueueJob(trx, { name: RECEIPT_JOB, payload: { paymentId: payment.id }, key: `receipt:${payment.id}` })
  }
}
