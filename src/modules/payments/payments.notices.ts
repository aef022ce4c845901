import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { FeeNoticeLine } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { addDays } from '../../platform/calendar/index.js'
import { storeFile } from '../../platform/files/files.js'
import { formatDate, formatMoney, isLocale, todayInGermany, translator } from '../../platform/i18n/i18n.js'
import type { ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import { findCase, findCaseOfAccount, insertCaseEvent, listCaseIdsInStatus, type CaseRecord } from '../cases/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { fileDocument } from '../efile/index.js'
import { letterRecipientOf } from '../accounts/index.js'
import { calculateFees, calculatePeriodFees, feeLinesOf } from './payments.fees.js'
import { renderFeeNoticePdf } from './payments.documents.js'
import { FeeNoticeNotCancellable, FeeNoticeNotFound } from './payments.errors.js'
import {
  findFeeNotice,
  hasOpenFeeNotice,
  hasPaidPayment,
  hasPeriodNotice,
  insertFeeNotice,
  listPaymentsOfFeeNotice,
  lockFeeNotice,
  setFeeNoticeCancelled,
  setPaymentStatus,
  type FeeNoticeRow,
} from './payments.queries.js'
import { newPaymentReference, notifyUrlOf, preparePayment, startProviderPayment } from './payments.service.js'
import type { PaymentProvider } from './providers/provider.js'

/** Days a fee notice gives to pay, where the definition does not say (one month is customary). */
export const DEFAULT_PAYABLE_WITHIN_DAYS = 30

/** What the definition says the case owes, for the caseworker to confirm or adjust on the notice. */
export function proposeFeeNotice(definition: ServiceDefinition, answers: Record<string, unknown>): FeeNoticeLine[] {
  return feeLinesOf(calculateFees(definition, answers as never))
}

export interface FeeNoticeDeps {
  db: Db
  services: ServiceRegistry
  config: Config
}

export interface IssueFeeNotice {
  caseRecord: CaseRecord
  /** null: issued by the platform itself (a recurring fee). */
  staff: StaffMember | null
  lines: FeeNoticeLine[]
  dueOn: string
  period?: { start: string; end: string }
}

/**
 * Issues a fee notice: the PDF notice in the applicant's language goes into the case file and the postbox
 * (with "pay now" for account holders), the timeline and the audit log record it. One transaction: a notice
 * is either complete or not there. For a period that already has a notice nothing is issued (returns null).
 */
export async function issueFeeNotice(deps: FeeNoticeDeps, input: IssueFeeNotice): Promise<FeeNoticeRow | null> {
  const { db, services, config } = deps
  const c = input.caseRecord
  const amountCents = input.lines.reduce((sum, l) => sum + l.totalCents, 0)
  if (amountCents <= 0) return null
  const definition = await services.version(c.serviceId, c.serviceVersion)
  const office = services.offices.find(o => o.id === c.officeId)
  const locale = isLocale(c.locale) ? c.locale : 'de'
  const t = translator(locale)
  const id = crypto.randomUUID()
  const number = newPaymentReference(new Date(), 'GB')
  const issuedOn = todayInGermany()
  const pdf = await renderFeeNoticePdf(config, {
    locale,
    number,
    issuedOn,
    dueOn: input.dueOn,
    period: input.period ?? null,
    lines: input.lines,
    amountCents,
    serviceTitle: definition.title[locale],
    caseReference: c.reference,
    recipient: await letterRecipientOf(db, c, definition),
    officeName: office?.name[locale] ?? c.officeId,
    legalBasis: definition.fees?.legalBasis ?? null,
    payableOnline: !!c.accountId,
  })
  const issued = await db.transaction().execute(async trx => {
    if (input.period && (await hasPeriodNotice(trx, c.id, input.period.start))) return null
    const file = await storeFile(trx, {
      content: pdf,
      filename: `${t.text('payments.notice.filename')}-${number}.pdf`,
      mediaType: 'application/pdf',
      caseId: c.id,
      staffId: input.staff?.id ?? null,
    })
    await fileDocument(trx, {
      caseId: c.id,
      kind: 'fee_notice',
      title: t.text('payments.pdf.notice.title', { number }),
      fileId: file.fileId,
      actor: { staffId: input.staff?.id ?? null },
    })
    const amount = formatMoney(amountCents, locale)
    const messageId = await deliverToApplicant(
      trx,
      {
        caseId: c.id,
        reference: c.reference,
        accountId: c.accountId,
        applicantEmail: c.applicantEmail,
        locale,
        senderStaffId: input.staff?.id ?? null,
        subject: t.text(input.period ? 'payments.notice.periodSubject' : 'payments.notice.subject', {
          service: definition.title[locale],
          amount,
          period: input.period
            ? `${formatDate(input.period.start, locale)} – ${formatDate(input.period.end, locale)}`
            : '',
        }),
        body: t.text(c.accountId ? 'payments.notice.bodyOnline' : 'payments.notice.bodyTransfer', {
          service: definition.title[locale],
          reference: c.reference,
          amount,
          dueOn: formatDate(input.dueOn, locale),
          number,
        }),
        fileIds: [file.fileId],
      },
      config.baseUrl,
    )
    const inserted = await insertFeeNotice(trx, {
      id,
      number,
      caseId: c.id,
      serviceId: c.serviceId,
      officeId: c.officeId,
      accountId: c.accountId,
      lines: input.lines,
      amountCents,
      dueOn: input.dueOn,
      periodStart: input.period?.start ?? null,
      periodEnd: input.period?.end ?? null,
      issuedByStaffId: input.staff?.id ?? null,
      locale,
      fileId: file.fileId,
      messageId,
    })
    if (!inserted) throw new Error('a fee notice for this period was issued at the same moment')
    await insertCaseEvent(trx, {
      caseId: c.id,
      kind: 'fee_notice_issued',
      internal: false,
      actorStaffId: input.staff?.id ?? null,
      data: { feeNoticeId: id, number, amountCents },
    })
    await audit(trx, {
      actor: { staffId: input.staff?.id ?? null },
      action: 'fee_notice.issue',
      subjectType: 'fee_notice',
      subjectId: id,
      officeId: c.officeId,
      details: { caseId: c.id, number, amountCents, period: input.period ?? null },
    })
    return findFeeNotice(trx, id)
  })
  return issued ?? null
}

/** The first and last day of the period of a recurring fee that contains `day`. */
export function periodContaining(day: string, period: 'month' | 'quarter'): { start: string; end: string } {
  const [year, month] = day.split('-').map(Number) as [number, number]
  const firstMonth = period === 'month' ? month : Math.floor((month - 1) / 3) * 3 + 1
  const months = period === 'month' ? 1 : 3
  const start = `${year}-${String(firstMonth).padStart(2, '0')}-01`
  const end = new Date(Date.UTC(year, firstMonth - 1 + months, 0)).toISOString().slice(0, 10)
  return { start, end }
}

/**
 * Recurring fees (a market stall's rent): for every case in a charging state, a notice for the current period
 * unless it has one. Run daily by a job; the unique period per case makes a second run, or a second
 * worker, issue nothing twice. Days before the definition's `from` date are not charged.
 */
export async function issueRecurringFeeNotices(deps: FeeNoticeDeps, today = todayInGermany()): Promise<number> {
  let issued = 0
  for (const definition of deps.services.all()) {
    const recurring = definition.fees?.recurring
    if (!recurring) continue
    const period = periodContaining(today, recurring.period)
    let after: string | null = null
    for (;;) {
      const ids = await listCaseIdsInStatus(deps.db, definition.id, recurring.whileStatus, after, 200)
      if (ids.length === 0) break
      after = ids[ids.length - 1] ?? null
      for (const caseId of ids) {
        if (await hasPeriodNotice(deps.db, caseId, period.start)) continue
        const c = await findCase(deps.db, caseId)
        if (!c) continue
        const caseDefinition = await deps.services.version(c.serviceId, c.serviceVersion)
        const caseRecurring = caseDefinition.fees?.recurring
        if (!caseRecurring) continue
        const fromAnswer = caseRecurring.from ? c.answers[caseRecurring.from] : undefined
        const from = typeof fromAnswer === 'string' && fromAnswer > period.start ? fromAnswer : period.start
        if (from > period.end) continue
        const lines = feeLinesOf(calculatePeriodFees(caseDefinition, c.answers as never, from, period.end))
        const notice = await issueFeeNotice(deps, {
          caseRecord: c,
          staff: null,
          lines,
          dueOn: addDays(today, caseRecurring.payableWithinDays),
          period,
        })
        if (notice) issued++
      }
    }
  }
  return issued
}

/**
 * A fee notice the signed-in account may see: one on a case it may see now (findCaseOfAccount, so a revoked mandate
 * or a removed member answers 404). Paying it stays with the addressee (payFeeNotice). Anyone else's is "missing".
 */
export async function findFeeNoticeOfAccount(db: Db, accountId: string, noticeId: string): Promise<FeeNoticeRow> {
  const notice = await findFeeNotice(db, noticeId)
  if (!notice || !(await findCaseOfAccount(db, accountId, notice.caseId))) throw new FeeNoticeNotFound()
  return notice
}

export type NoticePaymentStep = { kind: 'redirect'; url: string } | { kind: 'settled' } | { kind: 'wait' }

/**
 * "Pay now" on a fee notice: with the notice locked, reuse its open payment or make one, then send the payer
 * to the provider. Only the account the notice is addressed to may pay it online.
 */
export async function payFeeNotice(
  db: Db,
  provider: PaymentProvider,
  config: Config,
  accountId: string,
  noticeId: string,
  describe: (number: string) => string,
): Promise<NoticePaymentStep> {
  const step = await db.transaction().execute(async trx => {
    const notice = await lockFeeNotice(trx, noticeId)
    // The addressee, and only while the case is still theirs to see: a revoked mandate pays nothing more.
    const mayPay =
      !!notice && notice.accountId === accountId && !!(await findCaseOfAccount(trx, accountId, notice.caseId))
    if (!notice || !mayPay) {
      await audit(trx, {
        actor: { accountId },
        action: 'fee_notice.pay.refused',
        subjectType: 'fee_notice',
        subjectId: noticeId,
        officeId: notice?.officeId ?? null,
        details: { reason: notice ? 'not_addressee' : 'unknown' },
      })
      return { kind: 'refused' } as const
    }
    if (notice.status !== 'open') return { kind: 'settled' } as const
    return preparePayment(trx, await listPaymentsOfFeeNotice(trx, notice.id), {
      serviceId: notice.serviceId,
      officeId: notice.officeId,
      accountId,
      staffId: null,
      caseId: notice.caseId,
      feeNoticeId: notice.id,
      amountCents: notice.amountCents,
      description: describe(notice.number),
      provider: provider.id,
    })
  })
  if (step.kind === 'refused') throw new FeeNoticeNotFound()
  if (step.kind === 'paid') return { kind: 'settled' }
  if (step.kind !== 'start') return step
  const url = await startProviderPayment(db, provider, step.paymentId, {
    returnUrl: `${config.baseUrl}/account/fee-notices/${noticeId}`,
    notifyUrl: notifyUrlOf(config, provider),
  })
  return { kind: 'redirect', url }
}

/**
 * Withdraws an open fee notice (a wrong amount is withdrawn and issued anew): its open payment is given up, the
 * applicant is told in the postbox. A notice with a payment under way or paid cannot be withdrawn; that is a refund.
 */
export async function cancelFeeNotice(
  deps: FeeNoticeDeps,
  // null: withdrawn by the platform itself (a hall booking cancelled in time)
  staff: StaffMember | null,
  noticeId: string,
  canWorkOnCase: (caseId: string) => Promise<CaseRecord>,
): Promise<FeeNoticeRow> {
  const { db, services, config } = deps
  const found = await findFeeNotice(db, noticeId)
  if (!found) throw new FeeNoticeNotFound()
  const c = await canWorkOnCase(found.caseId).catch(() => {
    throw new FeeNoticeNotFound()
  })
  const definition = await services.version(c.serviceId, c.serviceVersion)
  return db.transaction().execute(async trx => {
    const notice = await lockFeeNotice(trx, noticeId)
    if (!notice) throw new FeeNoticeNotFound()
    const payments = await listPaymentsOfFeeNotice(trx, notice.id)
    if (notice.status === 'paid' || payments.some(p => p.status === 'pending' || p.status === 'paid'))
      throw new FeeNoticeNotCancellable('paymentUnderWay')
    if (notice.status !== 'open') throw new FeeNoticeNotCancellable('notOpen')
    for (const p of payments.filter(p => p.status === 'open')) await setPaymentStatus(trx, p.id, 'cancelled')
    await setFeeNoticeCancelled(trx, notice.id)
    const locale = isLocale(c.locale) ? c.locale : 'de'
    const t = translator(locale)
    await deliverToApplicant(
      trx,
      {
        caseId: c.id,
        reference: c.reference,
        accountId: c.accountId,
        applicantEmail: c.applicantEmail,
        locale,
        senderStaffId: staff?.id ?? null,
        subject: t.text('payments.notice.cancelledSubject', { number: notice.number }),
        body: t.text('payments.notice.cancelledBody', {
          number: notice.number,
          service: definition.title[locale],
          amount: formatMoney(notice.amountCents, locale),
        }),
      },
      config.baseUrl,
    )
    await insertCaseEvent(trx, {
      caseId: c.id,
      kind: 'fee_notice_cancelled',
      internal: false,
      actorStaffId: staff?.id ?? null,
      data: { feeNoticeId: notice.id, number: notice.number },
    })
    await audit(trx, {
      actor: { staffId: staff?.id },
      action: 'fee_notice.cancel',
      subjectType: 'fee_notice',
      subjectId: notice.id,
      officeId: notice.officeId,
      details: { caseId: c.id, number: notice.number },
    })
    return { ...notice, status: 'cancelled' as const }
  })
}

/**
 * Where a case's fees stand, for transitions that require payment: settled (nothing open, and paid unless nil), a
 * notice waiting to be paid, or owed with nothing billed yet. The case view tells the caseworker which step is next.
 */
export type FeeStanding = 'settled' | 'noticeOpen' | 'unbilled'

export async function feeStandingOf(
  db: Db,
  caseRecord: { id: string; answers: Record<string, unknown> },
  definition: ServiceDefinition,
): Promise<FeeStanding> {
  if (await hasOpenFeeNotice(db, caseRecord.id)) return 'noticeOpen'
  if (await hasPaidPayment(db, caseRecord.id)) return 'settled'
  return calculateFees(definition, caseRecord.answers as never).totalCents === 0 ? 'settled' : 'unbilled'
}
