import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import { queueMail } from '../../platform/mail/mail.js'
import { isLocale, translator } from '../../platform/i18n/i18n.js'
import { logDeletions, type DeletionCount, type PersonalDataHolder } from '../../platform/privacy/index.js'
import { accountProfileFor } from '../accounts/index.js'
import { deleteExportsOf } from './privacy.queries.js'

/**
 * Deletes an account (Art. 17 DSGVO) in one transaction: every holder deletes what it holds about the person, or
 * detaches and minimises what the city must keep (docs/privacy.md); the deletion log gets the counts, never who;
 * the address gets a confirmation. Returns the counts.
 */
export async function eraseAccount(
  deps: { db: Db; config: Config; holders: readonly PersonalDataHolder[] },
  accountId: string,
): Promise<DeletionCount[]> {
  const { config } = deps
  return deps.db.transaction().execute(async trx => {
    const profile = await accountProfileFor(trx, accountId)
    const counts: DeletionCount[] = [
      { subjectType: 'privacy-export', outcome: 'deleted', count: await deleteExportsOf(trx, accountId) },
    ]
    for (const holder of deps.holders) counts.push(...(await holder.eraseFor(trx, accountId)))
    await logDeletions(trx, 'account-erasure', counts)
    const kept = counts.find(c => c.subjectType === 'case' && c.outcome === 'anonymised')?.count ?? 0
    const t = translator(isLocale(profile.locale) ? profile.locale : 'de')
    // The last mail to the address: it names nobody and leaves the outbox with the outbox's own retention.
    await queueMail(trx, {
      to: profile.email,
      subject: t.text('privacy.mail.erasedSubject', { city: config.cityName }),
      text: t.text(kept ? 'privacy.mail.erasedBodyKept' : 'privacy.mail.erasedBody', {
        city: config.cityName,
        kept,
      }),
    })
    return counts
  })
}
