import type { Db, Trx } from '../../platform/db/database.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'

/**
 * The electronic case file names the person where they added a document version themselves (an upload, a reply).
 * The document is part of the kept case; erasure removes only the link to the account.
 */
export const efileHolder: PersonalDataHolder = {
  id: 'efile',
  async exportFor(db: Db, accountId: string) {
    const versions = await db
      .selectFrom('file_document_versions')
      .select(['title', 'version', 'created_at as createdAt'])
      .where('created_by_account_id', '=', accountId)
      .orderBy('created_at')
      .execute()
    return { data: { documentVersionsYouAdded: versions } }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const detached = await trx
      .updateTable('file_document_versions')
      .set({ created_by_account_id: null })
      .where('created_by_account_id', '=', accountId)
      .executeTakeFirst()
    return [{ subjectType: 'efile-version', outcome: 'anonymised', count: Number(detached.numUpdatedRows) }]
  },
}
