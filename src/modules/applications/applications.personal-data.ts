import type { Db, Trx } from '../../platform/db/database.js'
import type { ExportedFile, PersonalDataHolder } from '../../platform/privacy/index.js'

/** Stands in for an empty list in `in (…)`, which SQL does not allow; no row has it. */
const NO_ID = '00000000-0000-0000-0000-000000000000'

/**
 * Drafts not (yet) submitted, with their uploads. A submitted draft belongs to its case (the case holds its answers),
 * so erasure deletes only the unsubmitted ones and detaches the others from the account and its sessions.
 */
export const draftsHolder: PersonalDataHolder = {
  id: 'drafts',
  async exportFor(db: Db, accountId: string) {
    const drafts = await db
      .selectFrom('drafts')
      .select(['id', 'service_id as serviceId', 'answers', 'created_at as createdAt', 'updated_at as updatedAt'])
      .where('account_id', '=', accountId)
      .where('case_id', 'is', null)
      .orderBy('created_at')
      .execute()
    const uploads = await db
      .selectFrom('files')
      .select(['id', 'draft_id as draftId', 'filename', 'media_type as mediaType', 'size_bytes as sizeBytes'])
      .where('draft_id', 'in', drafts.length ? drafts.map(d => d.id) : [NO_ID])
      .where('case_id', 'is', null)
      .orderBy('created_at')
      .execute()
    const files: ExportedFile[] = uploads.map((upload, i) => ({
      path: `drafts/${upload.draftId}/${i + 1}-${upload.filename}`,
      read: async () =>
        (await db.selectFrom('files').select('content').where('id', '=', upload.id).executeTakeFirstOrThrow()).content,
    }))
    const data = drafts.map(draft => ({
      ...draft,
      files: uploads.filter(u => u.draftId === draft.id).map(({ id: _id, draftId: _draftId, ...file }) => file),
    }))
    return { data, files }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const unsubmitted = trx
      .selectFrom('drafts')
      .select('id')
      .where('account_id', '=', accountId)
      .where('case_id', 'is', null)
    const files = await trx
      .deleteFrom('files')
      .where('draft_id', 'in', unsubmitted)
      .where('case_id', 'is', null)
      .executeTakeFirst()
    const drafts = await trx
      .deleteFrom('drafts')
      .where('account_id', '=', accountId)
      .where('case_id', 'is', null)
      .executeTakeFirst()
    const detached = await trx
      .updateTable('drafts')
      .set({ account_id: null, session_hash: null })
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    return [
      { subjectType: 'draft', outcome: 'deleted', count: Number(drafts.numDeletedRows) },
      { subjectType: 'file', outcome: 'deleted', count: Number(files.numDeletedRows) },
      { subjectType: 'draft', outcome: 'anonymised', count: Number(detached.numUpdatedRows) },
    ]
  },
}
