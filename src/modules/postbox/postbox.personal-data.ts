import type { Db, Trx } from '../../platform/db/database.js'
import type { ExportedFile, PersonalDataHolder } from '../../platform/privacy/index.js'

/** Stands in for an empty list in `in (…)`, which SQL does not allow; no row has it. */
const NO_ID = '00000000-0000-0000-0000-000000000000'

/**
 * The postbox: messages to and from the person with their files (notices, receipts, replies). A message is a letter
 * on a case and stays on file with it; erasure only detaches it from the account.
 */
export const postboxHolder: PersonalDataHolder = {
  id: 'postbox',
  async exportFor(db: Db, accountId: string) {
    const messages = await db
      .selectFrom('messages')
      .innerJoin('cases', 'cases.id', 'messages.case_id')
      .select([
        'messages.id',
        'cases.reference as caseReference',
        'messages.direction',
        'messages.subject',
        'messages.body',
        'messages.created_at as createdAt',
        'messages.read_at as readAt',
      ])
      .where('messages.account_id', '=', accountId)
      .orderBy('messages.created_at')
      .execute()
    const attached = await db
      .selectFrom('message_files')
      .innerJoin('files', 'files.id', 'message_files.file_id')
      .select([
        'files.id',
        'message_files.message_id as messageId',
        'files.filename',
        'files.media_type as mediaType',
        'files.size_bytes as sizeBytes',
      ])
      .where('message_files.message_id', 'in', messages.length ? messages.map(m => m.id) : [NO_ID])
      .orderBy('files.created_at')
      .execute()
    const files: ExportedFile[] = attached.map((file, i) => ({
      path: `postbox/${i + 1}-${file.filename}`,
      read: async () =>
        (await db.selectFrom('files').select('content').where('id', '=', file.id).executeTakeFirstOrThrow()).content,
    }))
    const data = messages.map(({ id, ...message }) => ({
      ...message,
      files: attached.filter(f => f.messageId === id).map(f => f.filename),
    }))
    return { data, files }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const detached = await trx
      .updateTable('messages')
      .set({ account_id: null })
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    return [{ subjectType: 'message', outcome: 'anonymised', count: Number(detached.numUpdatedRows) }]
  },
}
