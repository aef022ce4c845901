import type { Db } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import { findConsent, recordConsent, withdrawConsents } from '../../platform/privacy/consents.js'
import { stopFollowing } from '../reports/index.js'
import { forgetDismissals } from '../suggestions/index.js'
import { ConsentNotFound } from './privacy.errors.js'

/**
 * Withdraws one consent and makes it take effect at once: following a report stops; e-mail notices stop because the
 * postbox asks for the consent before each mail; suggestions stop because they ask for it on each visit, and their
 * dismissals are deleted.
 */
export async function withdrawConsent(db: Db, accountId: string, consentId: string, now: Date): Promise<void> {
  await db.transaction().execute(async trx => {
    const consent = await findConsent(trx, accountId, consentId)
    if (!consent) throw new ConsentNotFound()
    if (consent.withdrawnAt) return
    await withdrawConsents(trx, { accountId, kind: consent.kind, subjectRef: consent.subjectRef, at: now })
    if (consent.kind === 'report-following' && consent.subjectRef)
      await stopFollowing(trx, accountId, consent.subjectRef)
    // The dismissals exist only for the suggestions: without the consent they have no purpose (Art. 17 (1) b DSGVO).
    if (consent.kind === 'personalised-suggestions') await forgetDismissals(trx, accountId)
    await audit(trx, {
      actor: { accountId },
      action: 'consent.withdraw',
      subjectType: 'account',
      subjectId: accountId,
      details: { kind: consent.kind, textVersion: consent.textVersion },
    })
  })
}

/** Gives the consent to e-mail notices again, after withdrawing it. */
export async function giveEmailNotices(db: Db, accountId: string, now: Date): Promise<void> {
  await db.transaction().execute(async trx => {
    await recordConsent(trx, { accountId, kind: 'email-notices', at: now })
    await audit(trx, {
      actor: { accountId },
      action: 'consent.give',
      subjectType: 'account',
      subjectId: accountId,
      details: { kind: 'email-notices' },
    })
  })
}
