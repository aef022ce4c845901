import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { PaymentStatus } from '../../platform/db/schema.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import { audit } from '../../platform/audit/audit.js'
import { isUuid } from '../../platform/http/ids.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { findCaseIdByReference, findCaseReferences } from '../cases/index.js'
import { treasuryOfficeOf } from './treasury.access.js'
import { camtEntry, camtHead, camtTail, type CamtSummary } from './treasury.camt054.js'
import { csvHeader, csvLedgerRecord } from './treasury.csv.js'
import { InvalidTreasuryCursor } from './treasury.errors.js'
import { centsAsNumber, centsFromSql } from './treasury.format.js'
import { addDays, startOfCityDay } from '../../platform/calendar/index.js'
import {
  EXPORT_BATCH_SIZE,
  TREASURY_PAGE_SIZE,
  listLedgerPage,
  listOpenNoticesPaidOnline,
  listPaidAtProviderOnly,
  listPaidInOurBookOnly,
  listPaidNoticesWithoutPayment,
  listPaidWithoutCase,
  listPaymentProviders,
  listReceipts,
  listRefundBookings,
  sumBookings,
  sumLedgerByStatus,
  DISCREPANCY_LIMIT,
  type BookingCursor,
  type BookingRow,
  type BookingWindow,
  type DiscrepantFeeNotice,
  type DiscrepantPayment,
  type LedgerRow,
  type PaymentCursor,
  type PaymentFilter,
} from '../payments/index.js'
import { PAYMENT_STATUSES, type LedgerEntry, type TreasuryQuery } from './treasury.schemas.js'

/** A paid application payment with no case this long after payment is a discrepancy, not a submission still under way. */
export const PAID_WITHOUT_CASE_GRACE_MINUTES = 30

export interface TreasuryTotals {
  /** Statuses present in the filtered set, in the order of PAYMENT_STATUSES. */
  byStatus: { status: PaymentStatus; count: number; amountCents: number }[]
  count: number
  amountCents: number
  /** Amounts of payments that were paid (now paid or refunded). */
  receivedCents: number
  refundedCents: number
  /** received − refunded: what the city keeps. */
  netCents: number
}

export interface TreasuryPage {
  entries: LedgerEntry[]
  totals: TreasuryTotals
  providers: string[]
  nextCursor: string | null
}

/** The cursor is opaque to the browser: the last row's (created_at to the microsecond, id), base64url-encoded. */
export function encodeTreasuryCursor(cursor: PaymentCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url')
}

const MICRO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

export function decodeTreasuryCursor(raw: string): PaymentCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      MICRO_INSTANT.test(parsed[0]) &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      isUuid(parsed[1])
    ) {
      return { createdAt: parsed[0], id: parsed[1] }
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
  }
  throw new InvalidTreasuryCursor()
}

/** The query string of a filter, for links (next page, exports); empty values left out. */
export function treasuryQueryString(query: TreasuryQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams()
  for (const status of query.status ?? []) params.append('status', status)
  for (const key of ['service', 'office', 'provider', 'from', 'to', 'q', 'refunds'] as const) {
    const value = query[key]
    if (value) params.set(key, value)
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value)
  return params.toString()
}

/** What was asked, for the audit row: the filters as given, nothing empty. */
function filtersOf(query: TreasuryQuery): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)),
  )
}

/** The query as a database filter; a search term that is a case reference also finds that case's payments. */
async function toFilter(db: Db, query: TreasuryQuery): Promise<PaymentFilter> {
  const term = query.q?.trim()
  let search: PaymentFilter['search']
  if (term) {
    search = { terms: [...new Set([term, term.toUpperCase()])], caseId: await findCaseIdByReference(db, term) }
  }
  return {
    statuses: [...new Set(query.status ?? [])],
    serviceId: query.service || undefined,
    officeId: query.office || undefined,
    provider: query.provider || undefined,
    from: query.from || undefined,
    to: query.to || undefined,
    search,
    withRefunds: query.refunds === '1',
  }
}

async function describe(db: Db, services: ServiceRegistry, rows: LedgerRow[], locale: Locale): Promise<LedgerEntry[]> {
  const references = await findCaseReferences(
    db,
    rows.map(r => r.caseId).filter((id): id is string => !!id),
  )
  return rows.map(row => ({
    ...row,
    serviceTitle: services.find(row.serviceId)?.title[locale] ?? row.serviceId,
    officeName: services.office(row.officeId)?.name[locale] ?? row.officeId,
    caseReference: row.caseId ? (references.get(row.caseId) ?? null) : null,
  }))
}

function totalsOf(rows: Awaited<ReturnType<typeof sumLedgerByStatus>>): TreasuryTotals {
  let count = 0
  let amount = 0n
  let received = 0n
  let refunded = 0n
  const byStatus: TreasuryTotals['byStatus'] = []
  for (const status of PAYMENT_STATUSES) {
    const row = rows.find(r => r.status === status)
    if (!row) continue
    const statusAmount = centsFromSql(row.amountCents)
    count += row.count
    amount += statusAmount
    if (status === 'paid' || status === 'refunded') received += statusAmount
    refunded += centsFromSql(row.refundedCents)
    byStatus.push({ status, count: row.count, amountCents: centsAsNumber(statusAmount) })
  }
  return {
    byStatus,
    count,
    amountCents: centsAsNumber(amount),
    receivedCents: centsAsNumber(received),
    refundedCents: centsAsNumber(refunded),
    netCents: centsAsNumber(received - refunded),
  }
}

/** One page of the payments of every office, with the totals of the whole filtered set. Reading it is audited. */
export async function listTreasury(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  query: TreasuryQuery,
  locale: Locale,
): Promise<TreasuryPage> {
  const after = query.after ? decodeTreasuryCursor(query.after) : undefined
  return db.transaction().execute(async trx => {
    const filter = await toFilter(trx, query)
    const rows = await listLedgerPage(trx, filter, after)
    const page = rows.slice(0, TREASURY_PAGE_SIZE)
    const totals = totalsOf(await sumLedgerByStatus(trx, filter))
    const providers = await listPaymentProviders(trx)
    const entries = await describe(trx, services, page, locale)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'treasury.list',
      subjectType: 'treasury',
      subjectId: '*',
      officeId: treasuryOfficeOf(staff),
      details: { filters: filtersOf(query), shown: page.length },
    })
    const last = page[page.length - 1]
    return {
      entries,
      totals,
      providers,
      nextCursor:
        rows.length > TREASURY_PAGE_SIZE && last
          ? encodeTreasuryCursor({ createdAt: last.createdAtKey, id: last.id })
          : null,
    }
  })
}

/** The whole filtered set as CSV (see treasury.csv.ts), newest first, read in batches as it is sent. */
export async function exportLedgerCsv(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  query: TreasuryQuery,
  locale: Locale,
): Promise<AsyncGenerator<string>> {
  const filter = await toFilter(db, query)
  await audit(db, {
    actor: { staffId: staff.id },
    action: 'treasury.export',
    subjectType: 'treasury',
    subjectId: '*',
    officeId: treasuryOfficeOf(staff),
    details: { filters: filtersOf(query), format: 'csv' },
  })
  return (async function* ledgerCsv() {
    yield csvHeader()
    let after: PaymentCursor | undefined
    for (;;) {
      const rows = await listLedgerPage(db, filter, after, EXPORT_BATCH_SIZE)
      const batch = rows.slice(0, EXPORT_BATCH_SIZE)
      yield (await describe(db, services, batch, locale)).map(csvLedgerRecord).join('')
      const last = batch[batch.length - 1]
      if (rows.length <= EXPORT_BATCH_SIZE || !last) return
      after = { createdAt: last.createdAtKey, id: last.id }
    }
  })()
}

/**
 * The bookings of the filtered payments as camt.054 (see treasury.camt054.ts): each payment received and
 * each refund paid out. Here from/to select the booking day (when money moved), not the day a payment
 * began, so daily exports never miss a payment paid or refunded after the day it was started.
 */
export async function exportCamt054(
  db: Db,
  staff: StaffMember,
  query: TreasuryQuery,
  now = new Date(),
): Promise<{ messageId: string; body: AsyncGenerator<string> }> {
  const filter = await toFilter(db, { ...query, from: undefined, to: undefined })
  const window: BookingWindow = { from: query.from || undefined, to: query.to || undefined, asOf: now }
  const messageId = `BH-CAMT-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${crypto.randomBytes(4).toString('hex').toUpperCase()}`
  const totals = await sumBookings(db, filter, window)
  const periodEnd = window.to ? new Date(Math.min(startOfCityDay(addDays(window.to, 1)).getTime(), now.getTime())) : now
  const summary: CamtSummary = {
    messageId,
    createdAt: now,
    period: window.from ? { from: startOfCityDay(window.from), to: periodEnd } : undefined,
    credits: { count: totals.receipts.count, sumCents: centsFromSql(totals.receipts.sumCents) },
    debits: { count: totals.refunds.count, sumCents: centsFromSql(totals.refunds.sumCents) },
  }
  await audit(db, {
    actor: { staffId: staff.id },
    action: 'treasury.export',
    subjectType: 'treasury',
    subjectId: '*',
    officeId: treasuryOfficeOf(staff),
    details: {
      filters: filtersOf(query),
      format: 'camt.054.001.08',
      messageId,
      entries: totals.receipts.count + totals.refunds.count,
    },
  })
  const lists: [typeof listReceipts, 'CRDT' | 'DBIT'][] = [
    [listReceipts, 'CRDT'],
    [listRefundBookings, 'DBIT'],
  ]
  async function* bookings() {
    yield camtHead(summary)
    for (const [list, direction] of lists) {
      let after: BookingCursor | undefined
      for (;;) {
        const rows: BookingRow[] = await list(db, filter, window, after)
        const references = await findCaseReferences(
          db,
          rows.map(r => r.caseId).filter((id): id is string => !!id),
        )
        yield rows
          .map(r =>
            camtEntry({
              direction,
              reference: r.reference,
              rowId: r.id,
              amountCents: r.amountCents,
              bookedAt: new Date(r.bookedAt),
              kassenzeichen: r.feeNoticeNumber ?? r.reference,
              caseReference: r.caseId ? (references.get(r.caseId) ?? null) : null,
              provider: r.provider,
              providerPaymentId: r.providerPaymentId,
              serviceId: r.serviceId,
            }),
          )
          .join('')
        const last = rows[rows.length - 1]
        if (rows.length < EXPORT_BATCH_SIZE || !last) break
        after = { bookedAt: last.bookedAtKey, id: last.id }
      }
    }
    yield camtTail()
  }
  return { messageId, body: bookings() }
}

export interface DescribedPayment extends DiscrepantPayment {
  serviceTitle: string
  officeName: string
  caseReference: string | null
}
export interface DescribedNotice extends DiscrepantFeeNotice {
  serviceTitle: string
  officeName: string
  caseReference: string | null
}
export interface DiscrepancyGroup<T> {
  items: T[]
  more: boolean
}

export interface DiscrepancyReport {
  /** (a) provider says paid, we do not */
  paidAtProviderOnly: DiscrepancyGroup<DescribedPayment>
  /** (b) we say paid, the provider does not */
  paidInOurBookOnly: DiscrepancyGroup<DescribedPayment>
  /** (c) paid, no application after the grace period */
  paidWithoutCase: DiscrepancyGroup<DescribedPayment>
  /** (d) fee notice open though paid online */
  openNoticePaid: DiscrepancyGroup<DescribedNotice>
  /** (d) fee notice paid without a payment */
  paidNoticeWithoutPayment: DiscrepancyGroup<DescribedNotice>
}

/** Every kind of mismatch between our book, the provider, the applications and the fee notices. Reading it is audited. */
export async function listDiscrepancies(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  locale: Locale,
): Promise<DiscrepancyReport> {
  return db.transaction().execute(async trx => {
    const payments = {
      paidAtProviderOnly: await listPaidAtProviderOnly(trx),
      paidInOurBookOnly: await listPaidInOurBookOnly(trx),
      paidWithoutCase: await listPaidWithoutCase(trx, PAID_WITHOUT_CASE_GRACE_MINUTES),
    }
    const notices = {
      openNoticePaid: await listOpenNoticesPaidOnline(trx),
      paidNoticeWithoutPayment: await listPaidNoticesWithoutPayment(trx),
    }
    const caseIds = [
      ...Object.values(payments)
        .flat()
        .map(p => p.caseId),
      ...Object.values(notices)
        .flat()
        .map(n => n.caseId),
    ]
    const references = await findCaseReferences(
      trx,
      caseIds.filter((id): id is string => !!id),
    )
    const label = <T extends { serviceId: string; officeId: string; caseId: string | null }>(
      rows: T[],
    ): DiscrepancyGroup<T & { serviceTitle: string; officeName: string; caseReference: string | null }> => ({
      items: rows.slice(0, DISCREPANCY_LIMIT).map(row => ({
        ...row,
        serviceTitle: services.find(row.serviceId)?.title[locale] ?? row.serviceId,
        officeName: services.office(row.officeId)?.name[locale] ?? row.officeId,
        caseReference: row.caseId ? (references.get(row.caseId) ?? null) : null,
      })),
      more: rows.length > DISCREPANCY_LIMIT,
    })
    const report: DiscrepancyReport = {
      paidAtProviderOnly: label(payments.paidAtProviderOnly),
      paidInOurBookOnly: label(payments.paidInOurBookOnly),
      paidWithoutCase: label(payments.paidWithoutCase),
      openNoticePaid: label(notices.openNoticePaid),
      paidNoticeWithoutPayment: label(notices.paidNoticeWithoutPayment),
    }
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'treasury.discrepancies',
      subjectType: 'treasury',
      subjectId: '*',
      officeId: treasuryOfficeOf(staff),
      details: {
        counts: Object.fromEntries(Object.entries(report).map(([kind, group]) => [kind, group.items.length])),
      },
    })
    return report
  })
}
