import type { StaffMember } from '../../platform/auth/sessions.js'
import type { Db } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import { RefundRequestDecided, RefundRequestNotFound, RefundRequestOwnDecision } from './payments.errors.js'
import {
  findRefundRequest,
  listWaitingRefundRequests,
  lockPayment,
  lockRefundRequest,
  setRefundRequestDecision,
  type WaitingRefundRequest,
} from './payments.queries.js'
import { askProviderToRefund, reserveRefund, type RefundDeps, type RefundOutcome } from './payments.refunds.js'

/** Requests shown per list; more wait behind them, oldest first. */
export const REFUND_REQUEST_LIST_LIMIT = 100

/**
 * Who may decide on a refund of an office's payment: the casework roles of that office (the ones that may refund),
 * or the treasury for every office. The route knows which applies; anything else answers like a missing request.
 */
export type MayDecide = (officeId: string) => boolean

type Decision = 'approve' | 'reject' | 'withdraw'

/** Locks payment, then request (the order every refund path takes) and checks the person may take this decision. */
async function lockForDecision(
  trx: Parameters<typeof lockPayment>[0],
  staff: StaffMember,
  requestId: string,
  mayDecide: MayDecide,
  decision: Decision,
) {
  const found = await findRefundRequest(trx, requestId)
  if (!found) throw new RefundRequestNotFound()
  const payment = await lockPayment(trx, found.paymentId)
  if (!payment || !mayDecide(payment.officeId)) throw new RefundRequestNotFound()
  const request = await lockRefundRequest(trx, requestId)
  if (!request) throw new RefundRequestNotFound()
  if (request.status !== 'requested') throw new RefundRequestDecided()
  const own = request.requestedByStaffId === staff.id
  if (decision === 'approve' && own) throw new RefundRequestOwnDecision('ownApproval')
  if (decision === 'reject' && own) throw new RefundRequestOwnDecision('ownRejection')
  if (decision === 'withdraw' && !own) throw new RefundRequestOwnDecision('notOwn')
  return { payment, request }
}

/**
 * A second person approves a refund request: only now is the refund reserved (under the payment's lock, so
 * concurrent refunds never exceed the amount) and the provider asked. The refund takes the request's id, so two
 * approvals at once cannot pay twice: the second finds the request decided.
 */
export async function approveRefundRequest(
  deps: RefundDeps,
  staff: StaffMember,
  requestId: string,
  mayDecide: MayDecide,
): Promise<RefundOutcome> {
  const { payment, request } = await deps.db.transaction().execute(async trx => {
    const locked = await lockForDecision(trx, staff, requestId, mayDecide, 'approve')
    await setRefundRequestDecision(trx, requestId, { status: 'approved', staffId: staff.id, reason: null })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'payment.refund.approve',
      subjectType: 'payment',
      subjectId: locked.payment.id,
      officeId: locked.payment.officeId,
      details: {
        requestId,
        amountCents: locked.request.amountCents,
        requestedBy: locked.request.requestedByStaffId,
        reference: locked.payment.reference,
      },
    })
    await reserveRefund(
      trx,
      locked.payment,
      { id: requestId, amountCents: locked.request.amountCents, reason: locked.request.reason },
      staff.id,
    )
    return locked
  })
  return askProviderToRefund(
    deps,
    payment,
    { id: request.id, amountCents: request.amountCents, reason: request.reason },
    staff.id,
  )
}

/** A second person turns a request down, with a reason the requester sees; or the requester withdraws it. */
export async function closeRefundRequest(
  db: Db,
  staff: StaffMember,
  requestId: string,
  mayDecide: MayDecide,
  decision: 'reject' | 'withdraw',
  reason: string | null,
): Promise<{ paymentId: string }> {
  return db.transaction().execute(async trx => {
    const { payment, request } = await lockForDecision(trx, staff, requestId, mayDecide, decision)
    const status = decision === 'reject' ? 'rejected' : 'withdrawn'
    await setRefundRequestDecision(trx, requestId, { status, staffId: staff.id, reason })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: `payment.refund.${decision}`,
      subjectType: 'payment',
      subjectId: payment.id,
      officeId: payment.officeId,
      details: { requestId, amountCents: request.amountCents, reason, reference: payment.reference },
    })
    return { paymentId: payment.id }
  })
}

/**
 * The requests waiting for a decision in these offices (null: every office, for the treasury). Looking is audited:
 * the list shows amounts, reasons and who asked.
 */
export async function listRefundRequestsToDecide(
  db: Db,
  staff: StaffMember,
  officeIds: string[] | null,
  auditOfficeId: string | null,
): Promise<WaitingRefundRequest[]> {
  return db.transaction().execute(async trx => {
    const rows = await listWaitingRefundRequests(trx, officeIds, REFUND_REQUEST_LIST_LIMIT)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'payment.refundRequests.read',
      subjectType: 'payment',
      subjectId: '*',
      officeId: auditOfficeId,
      details: { officeIds, shown: rows.map(r => r.id) },
    })
    return rows
  })
}
