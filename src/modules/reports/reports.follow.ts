import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import { queueMail, queueMailWithinQuota } from '../../platform/mail/mail.js'
import { translator, type Locale } from '../../platform/i18n/i18n.js'
import { audit } from '../../platform/audit/audit.js'
import { recordConsent, withdrawConsents } from '../../platform/privacy/consents.js'
import { findAccountContact } from '../accounts/index.js'
import { ReportNotFound, type ReportFieldError } from './reports.errors.js'
import {
  deleteAccountFollower,
  deleteFollowerByToken,
  findReportReference,
  findReportByReference,
  insertAccountFollower,
  insertEmailFollower,
  listFollowers,
} from './reports.queries.js'
import { countReportSubmission, REPORTS_PER_WINDOW } from './reports.ratelimit.js'
import { isEmailAddress } from './reports.validate.js'

export interface FollowInput {
  reference: string
  accountId?: string | null
  email?: string | null
  locale: Locale
  clientIp: string
  baseUrl: string
}

/** Following, or why not: the address to write to is missing or wrong. */
export type FollowOutcome = { ok: true; alreadyFollowing: boolean } | { ok: false; errors: ReportFieldError[] }

/**
 * Follows a report instead of filing the same defect again: the account, or the e-mail address, gets the report's
 * status messages from now on. The address gets one mail saying so, with the link to stop them.
 */
export async function followReport(db: Db, input: FollowInput): Promise<FollowOutcome> {
  const email = input.email?.trim() ?? ''
  if (!input.accountId) {
    if (!email)
      return { ok: false, errors: [{ field: 'contact.email', messageKey: 'reports.errors.followEmailMissing' }] }
    if (!isEmailAddress(email))
      return { ok: false, errors: [{ field: 'contact.email', messageKey: 'reports.errors.emailInvalid' }] }
  }
  return db.transaction().execute(async trx => {
    const report = await findReportByReference(trx, input.reference)
    if (!report) throw new ReportNotFound()
    // Following sends mail to an address anyone may type: the same ceiling as reporting.
    await countReportSubmission(trx, [{ key: `follow:ip:${input.clientIp}`, max: REPORTS_PER_WINDOW * 2 }])
    const token = crypto.randomBytes(24).toString('base64url')
    const inserted = input.accountId
      ? await insertAccountFollower(trx, report.id, input.accountId, input.locale, token)
      : await insertEmailFollower(trx, report.id, email, input.locale, token)
    if (!inserted) return { ok: true, alreadyFollowing: true }
    // Following with an account is a consent the account page lists and can withdraw (docs/privacy.md).
    if (input.accountId)
      await recordConsent(trx, {
        accountId: input.accountId,
        kind: 'report-following',
        subjectRef: report.reference,
        at: new Date(),
      })
    await audit(trx, {
      actor: { accountId: input.accountId ?? null },
      action: 'report.follow',
      subjectType: 'case',
      subjectId: report.caseId,
      details: { reference: report.reference },
    })
    const to = input.accountId ? (await findAccountContact(trx, input.accountId))?.email : email
    if (to) {
      const t = translator(input.locale)
      await queueMailWithinQuota(trx, {
        to,
        subject: t.text('reports.mail.followSubject', { reference: report.reference }),
        text: t.text('reports.mail.followBody', {
          reference: report.reference,
          link: `${input.baseUrl}/maengel/${report.reference}`,
          unsubscribe: unsubscribeLink(input.baseUrl, token),
        }),
      })
    }
    return { ok: true, alreadyFollowing: false }
  })
}

export const unsubscribeLink = (baseUrl: string, token: string) =>
  `${baseUrl}/maengel/abbestellen?token=${encodeURIComponent(token)}`

/** Stops the mails of one follow; true when there was one with this token. An account's consent ends with it. */
export async function unfollowReport(db: Db, token: string): Promise<boolean> {
  if (!token || token.length > 100) return false
  return db.transaction().execute(async trx => {
    const follower = await deleteFollowerByToken(trx, token)
    if (follower?.accountId) {
      const report = await findReportReference(trx, follower.reportId)
      await withdrawConsents(trx, {
        accountId: follower.accountId,
        kind: 'report-following',
        subjectRef: report?.reference ?? null,
        at: new Date(),
      })
    }
    return !!follower
  })
}

/** Withdrawing the consent on the account page: the account stops following the report. */
export async function stopFollowing(trx: Trx, accountId: string, reference: string): Promise<void> {
  const report = await findReportByReference(trx, reference)
  if (report) await deleteAccountFollower(trx, report.id, accountId)
}

/** Mails a report's status message to everyone following it, each in their language, with the link to stop. */
export async function notifyFollowers(
  trx: Trx,
  input: {
    reportId: string
    reference: string
    subject: { de: string; en: string }
    body: { de: string; en: string }
    baseUrl: string
  },
): Promise<void> {
  for (const follower of await listFollowers(trx, input.reportId)) {
    const to = follower.accountEmail ?? follower.email
    if (!to) continue
    const locale: Locale = follower.locale === 'en' ? 'en' : 'de'
    const t = translator(locale)
    await queueMail(trx, {
      to,
      subject: t.text('reports.mail.statusSubject', { reference: input.reference, subject: input.subject[locale] }),
      text: t.text('reports.mail.statusBody', {
        reference: input.reference,
        body: input.body[locale],
        link: `${input.baseUrl}/maengel/${input.reference}`,
        unsubscribe: unsubscribeLink(input.baseUrl, follower.unsubscribeToken),
      }),
    })
  }
}
