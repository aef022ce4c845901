import type { Db, Trx } from '../../platform/db/database.js'
import type { FeeNoticeLine, FeeNoticeStatus, PaymentStatus, RefundRequestStatus } from '../../platform/db/schema.js'

const paymentColumns = [
  'id',
  'reference',
  'service_id as serviceId',
  'office_id as officeId',
  'draft_id as draftId',
  'case_id as caseId',
  'amount_cents as amountCents',
  'currency',
  'status',
  'description',
  'provider',
  'provider_payment_id as providerPaymentId',
  'redirect_url as redirectUrl',
  'created_at as createdAt',
  'paid_at as paidAt',
  'fee_notice_id as feeNoticeId',
  'refunded_cents as refundedCents',
  'account_id as accountId',
  'receipt_file_id as receiptFileId',
] as const

export interface PaymentRow {
  id: string
  reference: string
  serviceId: string
  officeId: string
  draftId: string | null
  caseId: string | null
  amountCents: number
  currency: string
  status: PaymentStatus
  description: string
  provider: string
  providerPaymentId: string | null
  redirectUrl: string | null
  createdAt: Date
  paidAt: Date | null
  feeNoticeId: string | null
  refundedCents: number
  accountId: string | null
  receiptFileId: string | null
}

export interface NewPayment {
  id: string
  reference: string
  serviceId: string
  officeId: string
  accountId: string | null
  amountCents: number
  description: string
  provider: string
  /** At submission the payment belongs to the draft; on a fee notice to the notice and its case. */
  draftId?: string | null
  caseId?: string | null
  feeNoticeId?: string | null
}

export async function insertPayment(db: Db, p: NewPayment) {
  await db
    .insertInto('payments')
    .values({
      id: p.id,
      reference: p.reference,
      service_id: p.serviceId,
      office_id: p.officeId,
      draft_id: p.draftId ?? null,
      case_id: p.caseId ?? null,
      fee_notice_id: p.feeNoticeId ?? null,
      account_id: p.accountId,
      amount_cents: p.amountCents,
      description: p.description,
      provider: p.provider,
    })
    .execute()
}

export async function setProviderPayment(db: Db, paymentId: string, providerPaymentId: string, redirectUrl: string) {
  await db
    .updateTable('payments')
    .set({ provider_payment_id: providerPaymentId, redirect_url: redirectUrl, updated_at: new Date() })
    .where('id', '=', paymentId)
    .execute()
}

export function findPayment(db: Db, paymentId: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').select(paymentColumns).where('id', '=', paymentId).executeTakeFirst()
}

/** Every payment of a draft, newest first. */
export function listPaymentsOfDraft(db: Db, draftId: string): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .select(paymentColumns)
    .where('draft_id', '=', draftId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

function listPaymentsOfCaseRows(db: Db, caseId: string): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .select(paymentColumns)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** The payments of a case, for the case view and the applicant's application page. */
export async function listPaymentsOfCase(db: Db, caseId: string) {
  const rows = await listPaymentsOfCaseRows(db, caseId)
  return rows.map(r => ({
    id: r.id,
    reference: r.reference,
    amountCents: r.amountCents,
    refundedCents: r.refundedCents,
    status: r.status,
    createdAt: r.createdAt,
    paidAt: r.paidAt,
  }))
}

/** Serialises notifications for one payment, so two deliveries at once are booked one after the other. */
export function lockPaymentOfProvider(
  trx: Trx,
  provider: string,
  providerPaymentId: string,
): Promise<PaymentRow | undefined> {
  return trx
    .selectFrom('payments')
    .select(paymentColumns)
    .where('provider', '=', provider)
    .where('provider_payment_id', '=', providerPaymentId)
    .forUpdate()
    .executeTakeFirst()
}

export async function setPaymentStatus(db: Db, paymentId: string, status: PaymentStatus) {
  const now = new Date()
  await db
    .updateTable('payments')
    .set({ status, updated_at: now, ...(status === 'paid' ? { paid_at: now } : {}) })
    .where('id', '=', paymentId)
    .execute()
}

export interface NewPaymentEvent {
  paymentId: string | null
  provider: string
  providerEventId: string | null
  verified: boolean
  outcome: string
  reportedStatus: string | null
  raw: string
}

/** Records an event; a verified event id seen before is not inserted again (returns false). */
export async function insertPaymentEvent(db: Db, e: NewPaymentEvent): Promise<boolean> {
  const row = await db
    .insertInto('payment_events')
    .values({
      payment_id: e.paymentId,
      provider: e.provider,
      provider_event_id: e.providerEventId,
      verified: e.verified,
      outcome: e.outcome,
      reported_status: e.reportedStatus,
      raw: e.raw,
    })
    .onConflict(oc => oc.columns(['provider', 'provider_event_id']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return !!row
}

/** Hands all payments of a draft to the case made from it; returns those that were paid. */
export function linkDraftPaymentsToCase(trx: Trx, draftId: string, caseId: string) {
  return trx
    .updateTable('payments')
    .set({ case_id: caseId, updated_at: new Date() })
    .where('draft_id', '=', draftId)
    .where('case_id', 'is', null)
    .returning(['id', 'reference', 'amount_cents as amountCents', 'status'])
    .execute()
}

/** For booking: the payment row, locked so notifications, reconciliation and refunds take turns. */
export function lockPayment(trx: Trx, paymentId: string): Promise<PaymentRow | undefined> {
  return trx.selectFrom('payments').select(paymentColumns).where('id', '=', paymentId).forUpdate().executeTakeFirst()
}

/** Every payment made for a fee notice, newest first. */
export function listPaymentsOfFeeNotice(db: Db, feeNoticeId: string): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .select(paymentColumns)
    .where('fee_notice_id', '=', feeNoticeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}

/** Payments still waiting for a word from the provider, oldest first: the ones reconciliation asks about. */
export function listUnsettledPayments(db: Db, provider: string, olderThan: Date, limit: number): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .select(paymentColumns)
    .where('provider', '=', provider)
    .where('status', 'in', ['open', 'pending'])
    .where('provider_payment_id', 'is not', null)
    .where('created_at', '<', olderThan)
    .orderBy('provider_checked_at', ob => ob.asc().nullsFirst())
    .orderBy('created_at')
    .limit(limit)
    .execute()
}

/** Paid payments the provider was never asked about since: reconciliation checks it agrees (never un-books). */
export function listUncheckedPaidPayments(
  db: Db,
  provider: string,
  olderThan: Date,
  limit: number,
): Promise<PaymentRow[]> {
  return db
    .selectFrom('payments')
    .select(paymentColumns)
    .where('provider', '=', provider)
    .where('status', '=', 'paid')
    .where('provider_checked_at', 'is', null)
    .where('provider_payment_id', 'is not', null)
    .where('paid_at', '<', olderThan)
    .orderBy('paid_at')
    .limit(limit)
    .execute()
}

export async function setReceiptFile(trx: Trx, paymentId: string, fileId: string) {
  await trx.updateTable('payments').set({ receipt_file_id: fileId }).where('id', '=', paymentId).execute()
}

/** Whether a case still has a fee notice waiting to be paid. */
export async function hasOpenFeeNotice(db: Db, caseId: string): Promise<boolean> {
  return !!(await db
    .selectFrom('fee_notices')
    .select('id')
    .where('case_id', '=', caseId)
    .where('status', '=', 'open')
    .executeTakeFirst())
}

export async function hasPaidPayment(db: Db, caseId: string): Promise<boolean> {
  return !!(await db
    .selectFrom('payments')
    .select('id')
    .where('case_id', '=', caseId)
    .where('status', '=', 'paid')
    .executeTakeFirst())
}

export async function setFeeNoticeCancelled(trx: Trx, id: string) {
  await trx.updateTable('fee_notices').set({ status: 'cancelled' }).where('id', '=', id).execute()
}

export async function recordProviderStatus(db: Db, paymentId: string, providerStatus: string | null) {
  await db
    .updateTable('payments')
    .set({ provider_status: providerStatus, provider_checked_at: new Date() })
    .where('id', '=', paymentId)
    .execute()
}

const feeNoticeColumns = [
  'id',
  'number',
  'case_id as caseId',
  'service_id as serviceId',
  'office_id as officeId',
  'account_id as accountId',
  'lines',
  'amount_cents as amountCents',
  'currency',
  'due_on as dueOn',
  'period_start as periodStart',
  'period_end as periodEnd',
  'status',
  'issued_by_staff_id as issuedByStaffId',
  'locale',
  'file_id as fileId',
  'message_id as messageId',
  'created_at as createdAt',
  'paid_at as paidAt',
] as const

export interface FeeNoticeRow {
  id: string
  number: string
  caseId: string
  serviceId: string
  officeId: string
  accountId: string | null
  lines: FeeNoticeLine[]
  amountCents: number
  currency: string
  dueOn: string
  periodStart: string | null
  periodEnd: string | null
  status: FeeNoticeStatus
  issuedByStaffId: string | null
  locale: string
  fileId: string | null
  messageId: string | null
  createdAt: Date
  paidAt: Date | null
}

const parseLines = <T extends { lines: unknown }>(row: T) => ({
  ...row,
  lines: (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as FeeNoticeLine[],
})

export interface NewFeeNotice {
  id: string
  number: string
  caseId: string
  serviceId: string
  officeId: string
  accountId: string | null
  lines: FeeNoticeLine[]
  amountCents: number
  dueOn: string
  periodStart?: string | null
  periodEnd?: string | null
  issuedByStaffId: string | null
  locale: string
  fileId: string | null
  messageId: string | null
}

/** Inserts a notice; a second notice for the same case and period is not made (returns false). */
export async function insertFeeNotice(db: Db, n: NewFeeNotice): Promise<boolean> {
  const row = await db
    .insertInto('fee_notices')
    .values({
      id: n.id,
      number: n.number,
      case_id: n.caseId,
      service_id: n.serviceId,
      office_id: n.officeId,
      account_id: n.accountId,
      lines: JSON.stringify(n.lines),
      amount_cents: n.amountCents,
      due_on: n.dueOn,
      period_start: n.periodStart ?? null,
      period_end: n.periodEnd ?? null,
      issued_by_staff_id: n.issuedByStaffId,
      locale: n.locale,
      file_id: n.fileId,
      message_id: n.messageId,
    })
    .onConflict(oc => oc.columns(['case_id', 'period_start']).where('period_start', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
  return !!row
}

export async function findFeeNotice(db: Db, id: string): Promise<FeeNoticeRow | undefined> {
  const row = await db.selectFrom('fee_notices').select(feeNoticeColumns).where('id', '=', id).executeTakeFirst()
  return row && parseLines(row)
}

export async function lockFeeNotice(trx: Trx, id: string): Promise<FeeNoticeRow | undefined> {
  const row = await trx
    .selectFrom('fee_notices')
    .select(feeNoticeColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
  return row && parseLines(row)
}

export async function listFeeNoticesOfCase(db: Db, caseId: string): Promise<FeeNoticeRow[]> {
  const rows = await db
    .selectFrom('fee_notices')
    .select(feeNoticeColumns)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(parseLines)
}

export async function findFeeNoticeOfMessage(db: Db, messageId: string): Promise<FeeNoticeRow | undefined> {
  const row = await db
    .selectFrom('fee_notices')
    .select(feeNoticeColumns)
    .where('message_id', '=', messageId)
    .executeTakeFirst()
  return row && parseLines(row)
}

export async function hasPeriodNotice(db: Db, caseId: string, periodStart: string): Promise<boolean> {
  const row = await db
    .selectFrom('fee_notices')
    .select('id')
    .where('case_id', '=', caseId)
    .where('period_start', '=', periodStart)
    .executeTakeFirst()
  return !!row
}

/** An open notice becomes paid; returns false when it was not open. */
export async function markFeeNoticePaid(trx: Trx, id: string): Promise<boolean> {
  const row = await trx
    .updateTable('fee_notices')
    .set({ status: 'paid', paid_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst()
  return !!row
}

/** Refunds that are not failed count against what may still be refunded. */
export async function sumActiveRefunds(db: Db, paymentId: string): Promise<number> {
  const row = await db
    .selectFrom('payment_refunds')
    .select(eb => eb.fn.coalesce(eb.fn.sum<string | number>('amount_cents'), eb.lit(0)).as('sum'))
    .where('payment_id', '=', paymentId)
    .where('status', '<>', 'failed')
    .executeTakeFirstOrThrow()
  return Number(row.sum)
}

export async function insertRefund(
  trx: Trx,
  r: { id: string; paymentId: string; amountCents: number; reason: string; staffId: string | null },
) {
  await trx
    .insertInto('payment_refunds')
    .values({
      id: r.id,
      payment_id: r.paymentId,
      amount_cents: r.amountCents,
      reason: r.reason,
      status: 'pending',
      staff_id: r.staffId,
    })
    .execute()
}

export async function settleRefund(
  trx: Trx,
  refundId: string,
  status: 'succeeded' | 'failed',
  providerRefundId: string | null,
) {
  const row = await trx
    .updateTable('payment_refunds')
    .set({ status, provider_refund_id: providerRefundId })
    .where('id', '=', refundId)
    .where('status', '=', 'pending')
    .returning(['payment_id as paymentId', 'amount_cents as amountCents'])
    .executeTakeFirst()
  return row
}

export async function addRefundedAmount(trx: Trx, paymentId: string, amountCents: number) {
  const row = await trx
    .updateTable('payments')
    .set(eb => ({ refunded_cents: eb('refunded_cents', '+', amountCents), updated_at: new Date() }))
    .where('id', '=', paymentId)
    .returning(['refunded_cents as refundedCents', 'amount_cents as amountCents'])
    .executeTakeFirstOrThrow()
  if (row.refundedCents === row.amountCents)
    await trx.updateTable('payments').set({ status: 'refunded' }).where('id', '=', paymentId).execute()
  return row
}

export interface RefundRow {
  id: string
  paymentId: string
  amountCents: number
  reason: string
  status: 'pending' | 'succeeded' | 'failed'
  createdAt: Date
}

export function listRefundsOfPayments(db: Db, paymentIds: string[]): Promise<RefundRow[]> {
  if (paymentIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('payment_refunds')
    .select([
      'id',
      'payment_id as paymentId',
      'amount_cents as amountCents',
      'reason',
      'status',
      'created_at as createdAt',
    ])
    .where('payment_id', 'in', paymentIds)
    .orderBy('created_at')
    .execute()
}

/** Refunds left pending by a crash between our booking and the provider's answer: retried with the same key. */
export function listStalePendingRefunds(db: Db, provider: string, olderThan: Date, limit: number) {
  return db
    .selectFrom('payment_refunds')
    .innerJoin('payments', 'payments.id', 'payment_refunds.payment_id')
    .select([
      'payment_refunds.id',
      'payment_refunds.payment_id as paymentId',
      'payment_refunds.amount_cents as amountCents',
      'payment_refunds.reason',
      'payments.provider_payment_id as providerPaymentId',
    ])
    .where('payments.provider', '=', provider)
    .where('payment_refunds.status', '=', 'pending')
    .where('payment_refunds.created_at', '<', olderThan)
    .limit(limit)
    .execute()
}

const refundRequestColumns = [
  'payment_refund_requests.id',
  'payment_refund_requests.payment_id as paymentId',
  'payment_refund_requests.amount_cents as amountCents',
  'payment_refund_requests.reason',
  'payment_refund_requests.status',
  'payment_refund_requests.requested_by_staff_id as requestedByStaffId',
  'payment_refund_requests.decided_by_staff_id as decidedByStaffId',
  'payment_refund_requests.decision_reason as decisionReason',
  'payment_refund_requests.created_at as createdAt',
  'payment_refund_requests.decided_at as decidedAt',
] as const

export interface RefundRequestRow {
  id: string
  paymentId: string
  amountCents: number
  reason: string
  status: RefundRequestStatus
  requestedByStaffId: string
  decidedByStaffId: string | null
  decisionReason: string | null
  createdAt: Date
  decidedAt: Date | null
}

export async function insertRefundRequest(
  trx: Trx,
  r: { id: string; paymentId: string; amountCents: number; reason: string; staffId: string },
) {
  await trx
    .insertInto('payment_refund_requests')
    .values({
      id: r.id,
      payment_id: r.paymentId,
      amount_cents: r.amountCents,
      reason: r.reason,
      requested_by_staff_id: r.staffId,
    })
    .execute()
}

export function findRefundRequest(db: Db, id: string): Promise<RefundRequestRow | undefined> {
  return db.selectFrom('payment_refund_requests').select(refundRequestColumns).where('id', '=', id).executeTakeFirst()
}

/** Read again under its lock, after the payment's: the order every refund path takes, so two decisions take turns. */
export function lockRefundRequest(trx: Trx, id: string): Promise<RefundRequestRow | undefined> {
  return trx
    .selectFrom('payment_refund_requests')
    .select(refundRequestColumns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function setRefundRequestDecision(
  trx: Trx,
  id: string,
  d: { status: 'approved' | 'rejected' | 'withdrawn'; staffId: string; reason: string | null },
) {
  await trx
    .updateTable('payment_refund_requests')
    .set({ status: d.status, decided_by_staff_id: d.staffId, decision_reason: d.reason, decided_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .execute()
}

export function listRefundRequestsOfPayment(db: Db, paymentId: string): Promise<RefundRequestRow[]> {
  return db
    .selectFrom('payment_refund_requests')
    .select(refundRequestColumns)
    .where('payment_id', '=', paymentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export interface WaitingRefundRequest extends RefundRequestRow {
  paymentReference: string
  paymentAmountCents: number
  officeId: string
  caseId: string | null
  requestedByName: string
}

/** Requests still waiting for a decision, oldest first; officeIds null: every office (the treasury). */
export function listWaitingRefundRequests(
  db: Db,
  officeIds: string[] | null,
  limit: number,
): Promise<WaitingRefundRequest[]> {
  if (officeIds?.length === 0) return Promise.resolve([])
  let query = db
    .selectFrom('payment_refund_requests')
    .innerJoin('payments', 'payments.id', 'payment_refund_requests.payment_id')
    .innerJoin('staff', 'staff.id', 'payment_refund_requests.requested_by_staff_id')
    .select([
      ...refundRequestColumns,
      'payments.reference as paymentReference',
      'payments.amount_cents as paymentAmountCents',
      'payments.office_id as officeId',
      'payments.case_id as caseId',
      'staff.name as requestedByName',
    ])
    .where('payment_refund_requests.status', '=', 'requested')
    .orderBy('payment_refund_requests.created_at')
    .orderBy('payment_refund_requests.id')
    .limit(limit)
  if (officeIds) query = query.where('payments.office_id', 'in', officeIds)
  return query.execute()
}
