/**
 * Read-only views over every payment, for the treasury: the ledger with filters and totals, bookings for the
 * exports, and the discrepancies between our book and the provider's. The treasury module reads them through index.ts.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import type { Database, PaymentStatus } from '../../platform/db/schema.js'

export const TREASURY_PAGE_SIZE = 50
/** Rows per query when an export walks the whole filtered set. */
export const EXPORT_BATCH_SIZE = 500
/** Rows shown per kind of discrepancy; more are counted, not listed. */
export const DISCREPANCY_LIMIT = 200

export interface PaymentFilter {
  /** Empty: every status. */
  statuses: PaymentStatus[]
  serviceId?: string
  officeId?: string
  provider?: string
  /** Calendar days in Germany, YYYY-MM-DD, both inclusive, on created_at. */
  from?: string
  to?: string
  /** Exact payment reference or fee notice number (as typed and upper-cased); caseId when it names a case. */
  search?: { terms: string[]; caseId?: string }
  /** Only payments with at least one refund (pending, succeeded or failed). */
  withRefunds: boolean
}

/** Keyset position: created_at to the microsecond (as text, a JS Date keeps only milliseconds) and id. */
export interface PaymentCursor {
  createdAt: string
  id: string
}

export interface LedgerRow {
  id: string
  reference: string
  serviceId: string
  officeId: string
  caseId: string | null
  draftId: string | null
  amountCents: number
  refundedCents: number
  status: PaymentStatus
  provider: string
  providerPaymentId: string | null
  providerStatus: string | null
  providerCheckedAt: Date | null
  createdAt: Date
  paidAt: Date | null
  feeNoticeNumber: string | null
  /** created_at in UTC to the microsecond, for the cursor. */
  createdAtKey: string
}

type PaymentsEb = ExpressionBuilder<Database, 'payments'>

// Days as a person in Dortmund means them, whatever the server's time zone.
const startOfDay = (day: string) => sql<Date>`(${day}::date)::timestamp at time zone 'Europe/Berlin'`
const startOfNextDay = (day: string) => sql<Date>`(${day}::date + 1)::timestamp at time zone 'Europe/Berlin'`

/** The filter as one condition on payments; subqueries keep it usable under any join. */
function matchesFilter(
  eb: PaymentsEb,
  f: PaymentFilter,
  opts: { dates: boolean } = { dates: true },
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = []
  if (f.statuses.length > 0) conditions.push(eb('payments.status', 'in', f.statuses))
  if (f.serviceId) conditions.push(eb('payments.service_id', '=', f.serviceId))
  if (f.officeId) conditions.push(eb('payments.office_id', '=', f.officeId))
  if (f.provider) conditions.push(eb('payments.provider', '=', f.provider))
  if (opts.dates && f.from) conditions.push(eb('payments.created_at', '>=', startOfDay(f.from)))
  if (opts.dates && f.to) conditions.push(eb('payments.created_at', '<', startOfNextDay(f.to)))
  if (f.search) {
    const { terms, caseId } = f.search
    const anyOf: Expression<SqlBool>[] = [
      eb('payments.reference', 'in', terms),
      eb(
        'payments.fee_notice_id',
        'in',
        eb.selectFrom('fee_notices').select('fee_notices.id').where('fee_notices.number', 'in', terms),
      ),
    ]
    if (caseId) anyOf.push(eb('payments.case_id', '=', caseId))
    conditions.push(eb.or(anyOf))
  }
  if (f.withRefunds) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('payment_refunds')
          .select(sql<number>`1`.as('one'))
          .whereRef('payment_refunds.payment_id', '=', 'payments.id'),
      ),
    )
  }
  return eb.and(conditions)
}

const feeNoticeNumber = (eb: PaymentsEb) =>
  eb
    .selectFrom('fee_notices')
    .select('fee_notices.number')
    .whereRef('fee_notices.id', '=', 'payments.fee_notice_id')
    .as('feeNoticeNumber')

/** Newest first, one row more than asked to tell whether another page follows. Keyset, not OFFSET. */
export function listLedgerPage(
  db: Db,
  f: PaymentFilter,
  after?: PaymentCursor,
  size = TREASURY_PAGE_SIZE,
): Promise<LedgerRow[]> {
  let query = db
    .selectFrom('payments')
    .select(eb => [
      'payments.id',
      'payments.reference',
      'payments.service_id as serviceId',
      'payments.office_id as officeId',
      'payments.case_id as caseId',
      'payments.draft_id as draftId',
      'payments.amount_cents as amountCents',
      'payments.refunded_cents as refundedCents',
      'payments.status',
      'payments.provider',
      'payments.provider_payment_id as providerPaymentId',
      'payments.provider_status as providerStatus',
      'payments.provider_checked_at as providerCheckedAt',
      'payments.created_at as createdAt',
      'payments.paid_at as paidAt',
      feeNoticeNumber(eb),
      sql<string>`to_char(payments.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('createdAtKey'),
    ])
    .where(eb => matchesFilter(eb, f))
    .orderBy('payments.created_at', 'desc')
    .orderBy('payments.id', 'desc')
    .limit(size + 1)
  if (after)
    query = query.where(
      sql<SqlBool>`(payments.created_at, payments.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
    )
  return query.execute()
}

export interface StatusTotalRow {
  status: PaymentStatus
  count: number
  amountCents: string
  refundedCents: string
}

/** Count and sums per status of the whole filtered set; sums as exact decimal text (bigint in SQL). */
export function sumLedgerByStatus(db: Db, f: PaymentFilter): Promise<StatusTotalRow[]> {
  return db
    .selectFrom('payments')
    .select(eb => [
      'payments.status',
      eb.fn.countAll<number>().as('count'),
      sql<string>`coalesce(sum(payments.amount_cents), 0)::text`.as('amountCents'),
      sql<string>`coalesce(sum(payments.refunded_cents), 0)::text`.as('refundedCents'),
    ])
    .where(eb => matchesFilter(eb, f))
    .groupBy('payments.status')
    .execute()
}

/** Every provider that ever took a payment, for the filter. */
export async function listPaymentProviders(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('payments').select('provider').distinct().orderBy('provider').execute()
  return rows.map(r => r.provider)
}

// Bookings: money that moved. A receipt is a payment that was paid (it may since have been refunded);
// a refund is a succeeded payment_refunds row. Their day is the booking day, not the day the payment began.

export interface BookingWindow {
  /** Booking days in Germany, both inclusive. */
  from?: string
  to?: string
  /** Bookings after this instant are left out, so totals and entries of one export agree. */
  asOf: Date
}

export interface BookingRow {
  id: string
  paymentId: string
  reference: string
  serviceId: string
  officeId: string
  caseId: string | null
  provider: string
  providerPaymentId: string | null
  feeNoticeNumber: string | null
  amountCents: number
  bookedAt: Date
  bookedAtKey: string
}

export interface BookingCursor {
  bookedAt: string
  id: string
}

const RECEIVED: PaymentStatus[] = ['paid', 'refunded']

export function listReceipts(
  db: Db,
  f: PaymentFilter,
  w: BookingWindow,
  after?: BookingCursor,
  size = EXPORT_BATCH_SIZE,
): Promise<BookingRow[]> {
  let query = db
    .selectFrom('payments')
    .select(eb => [
      'payments.id',
      'payments.id as paymentId',
      'payments.reference',
      'payments.service_id as serviceId',
      'payments.office_id as officeId',
      'payments.case_id as caseId',
      'payments.provider',
      'payments.provider_payment_id as providerPaymentId',
      feeNoticeNumber(eb),
      'payments.amount_cents as amountCents',
      sql<Date>`payments.paid_at`.as('bookedAt'),
      sql<string>`to_char(payments.paid_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('bookedAtKey'),
    ])
    .where(eb => receiptConditions(eb, f, w))
    .orderBy('payments.paid_at')
    .orderBy('payments.id')
    .limit(size)
  if (after)
    query = query.where(
      sql<SqlBool>`(payments.paid_at, payments.id) > (${after.bookedAt}::timestamptz, ${after.id}::uuid)`,
    )
  return query.execute()
}

function receiptConditions(eb: PaymentsEb, f: PaymentFilter, w: BookingWindow): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [
    matchesFilter(eb, f, { dates: false }),
    eb('payments.status', 'in', RECEIVED),
    eb('payments.paid_at', 'is not', null),
    eb('payments.paid_at', '<=', w.asOf),
  ]
  if (w.from) conditions.push(eb('payments.paid_at', '>=', startOfDay(w.from)))
  if (w.to) conditions.push(eb('payments.paid_at', '<', startOfNextDay(w.to)))
  return eb.and(conditions)
}

export function listRefundBookings(
  db: Db,
  f: PaymentFilter,
  w: BookingWindow,
  after?: BookingCursor,
  size = EXPORT_BATCH_SIZE,
): Promise<BookingRow[]> {
  let query = refundBookings(db, f, w)
    .select(eb => [
      'payment_refunds.id',
      'payments.id as paymentId',
      'payments.reference',
      'payments.service_id as serviceId',
      'payments.office_id as officeId',
      'payments.case_id as caseId',
      'payments.provider',
      'payments.provider_payment_id as providerPaymentId',
      eb
        .selectFrom('fee_notices')
        .select('fee_notices.number')
        .whereRef('fee_notices.id', '=', 'payments.fee_notice_id')
        .as('feeNoticeNumber'),
      'payment_refunds.amount_cents as amountCents',
      'payment_refunds.created_at as bookedAt',
      sql<string>`to_char(payment_refunds.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'bookedAtKey',
      ),
    ])
    .orderBy('payment_refunds.created_at')
    .orderBy('payment_refunds.id')
    .limit(size)
  if (after)
    query = query.where(
      sql<SqlBool>`(payment_refunds.created_at, payment_refunds.id) > (${after.bookedAt}::timestamptz, ${after.id}::uuid)`,
    )
  return query.execute()
}

function refundBookings(db: Db, f: PaymentFilter, w: BookingWindow) {
  let query = db
    .selectFrom('payment_refunds')
    .innerJoin('payments', 'payments.id', 'payment_refunds.payment_id')
    .where('payment_refunds.status', '=', 'succeeded')
    .where('payment_refunds.created_at', '<=', w.asOf)
    .where('payment_refunds.payment_id', 'in', eb =>
      eb
        .selectFrom('payments')
        .select('payments.id')
        .where(inner => matchesFilter(inner, f, { dates: false })),
    )
  if (w.from) query = query.where('payment_refunds.created_at', '>=', startOfDay(w.from))
  if (w.to) query = query.where('payment_refunds.created_at', '<', startOfNextDay(w.to))
  return query
}

export interface BookingTotals {
  receipts: { count: number; sumCents: string }
  refunds: { count: number; sumCents: string }
}

export async function sumBookings(db: Db, f: PaymentFilter, w: BookingWindow): Promise<BookingTotals> {
  const receipts = await db
    .selectFrom('payments')
    .select(eb => [
      eb.fn.countAll<number>().as('count'),
      sql<string>`coalesce(sum(payments.amount_cents), 0)::text`.as('sumCents'),
    ])
    .where(eb => receiptConditions(eb, f, w))
    .executeTakeFirstOrThrow()
  const refunds = await refundBookings(db, f, w)
    .select(eb => [
      eb.fn.countAll<number>().as('count'),
      sql<string>`coalesce(sum(payment_refunds.amount_cents), 0)::text`.as('sumCents'),
    ])
    .executeTakeFirstOrThrow()
  return { receipts, refunds }
}

// Discrepancies between our book, the provider's answer, the applications and the fee notices.

export type DiscrepantPayment = Omit<LedgerRow, 'refundedCents' | 'createdAtKey'>

const discrepantColumns = (eb: PaymentsEb) =>
  [
    'payments.id',
    'payments.reference',
    'payments.service_id as serviceId',
    'payments.office_id as officeId',
    'payments.case_id as caseId',
    'payments.draft_id as draftId',
    'payments.amount_cents as amountCents',
    'payments.status',
    'payments.provider',
    'payments.provider_payment_id as providerPaymentId',
    'payments.provider_status as providerStatus',
    'payments.provider_checked_at as providerCheckedAt',
    'payments.created_at as createdAt',
    'payments.paid_at as paidAt',
    feeNoticeNumber(eb),
  ] as const

function discrepantPayments(db: Db, condition: (eb: PaymentsEb) => Expression<SqlBool>): Promise<DiscrepantPayment[]> {
  return db
    .selectFrom('payments')
    .select(discrepantColumns)
    .where(condition)
    .orderBy('payments.created_at', 'desc')
    .orderBy('payments.id', 'desc')
    .limit(DISCREPANCY_LIMIT + 1)
    .execute()
}

/** (a) The provider says paid, our book does not: money may have arrived that nobody booked. */
export function listPaidAtProviderOnly(db: Db) {
  return discrepantPayments(db, eb =>
    eb.and([eb('payments.provider_status', '=', 'paid'), eb('payments.status', 'not in', RECEIVED)]),
  )
}

/** (b) Our book says paid (or refunded), the provider, asked, says it never was. */
export function listPaidInOurBookOnly(db: Db) {
  return discrepantPayments(db, eb =>
    eb.and([
      eb('payments.status', 'in', RECEIVED),
      eb('payments.provider_status', 'is not', null),
      eb('payments.provider_status', 'not in', RECEIVED),
    ]),
  )
}

/** (c) Paid for an application that never became a case: money taken, no application. */
export function listPaidWithoutCase(db: Db, graceMinutes: number) {
  return discrepantPayments(db, eb =>
    eb.and([
      eb('payments.status', '=', 'paid'),
      eb('payments.draft_id', 'is not', null),
      eb('payments.case_id', 'is', null),
      eb('payments.paid_at', '<', sql<Date>`now() - make_interval(mins => ${graceMinutes}::int)`),
    ]),
  )
}

export interface DiscrepantFeeNotice {
  id: string
  number: string
  caseId: string
  serviceId: string
  officeId: string
  amountCents: number
  status: string
  dueOn: string
  createdAt: Date
  paidAt: Date | null
  paymentReference: string | null
}

/** (d1) A paid payment points to a fee notice that is still open. */
export function listOpenNoticesPaidOnline(db: Db): Promise<DiscrepantFeeNotice[]> {
  return (
    db
      .selectFrom('fee_notices')
      .select(eb => [
        'fee_notices.id',
        'fee_notices.number',
        'fee_notices.case_id as caseId',
        'fee_notices.service_id as serviceId',
        'fee_notices.office_id as officeId',
        'fee_notices.amount_cents as amountCents',
        'fee_notices.status',
        'fee_notices.due_on as dueOn',
        'fee_notices.created_at as createdAt',
        'fee_notices.paid_at as paidAt',
        eb
          .selectFrom('payments')
          .select('payments.reference')
          .whereRef('payments.fee_notice_id', '=', 'fee_notices.id')
          .where('payments.status', '=', 'paid')
          .orderBy('payments.paid_at', 'desc')
          .limit(1)
          .as('paymentReference'),
      ])
      // Paid while our book says open or withdrawn, or paid more than once: money to book, or to pay back.
      .where(eb =>
        eb.or([
          eb.and([
            eb('fee_notices.status', '<>', 'paid'),
            eb.exists(
              eb
                .selectFrom('payments')
                .select(sql<number>`1`.as('one'))
                .whereRef('payments.fee_notice_id', '=', 'fee_notices.id')
                .where('payments.status', '=', 'paid'),
            ),
          ]),
          eb(
            eb
              .selectFrom('payments')
              .select(p => p.fn.countAll<number>().as('n'))
              .whereRef('payments.fee_notice_id', '=', 'fee_notices.id')
              .where('payments.status', '=', 'paid'),
            '>',
            1,
          ),
        ]),
      )
      .orderBy('fee_notices.created_at', 'desc')
      .orderBy('fee_notices.id', 'desc')
      .limit(DISCREPANCY_LIMIT + 1)
      .execute()
  )
}

/** (d2) A fee notice marked paid with no payment that was ever paid for it. */
export function listPaidNoticesWithoutPayment(db: Db): Promise<DiscrepantFeeNotice[]> {
  return db
    .selectFrom('fee_notices')
    .select([
      'fee_notices.id',
      'fee_notices.number',
      'fee_notices.case_id as caseId',
      'fee_notices.service_id as serviceId',
      'fee_notices.office_id as officeId',
      'fee_notices.amount_cents as amountCents',
      'fee_notices.status',
      'fee_notices.due_on as dueOn',
      'fee_notices.created_at as createdAt',
      'fee_notices.paid_at as paidAt',
      sql<string | null>`null`.as('paymentReference'),
    ])
    .where('fee_notices.status', '=', 'paid')
    .where(eb =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('payments')
            .select(sql<number>`1`.as('one'))
            .whereRef('payments.fee_notice_id', '=', 'fee_notices.id')
            .where('payments.status', 'in', RECEIVED),
        ),
      ),
    )
    .orderBy('fee_notices.created_at', 'desc')
    .orderBy('fee_notices.id', 'desc')
    .limit(DISCREPANCY_LIMIT + 1)
    .execute()
}
