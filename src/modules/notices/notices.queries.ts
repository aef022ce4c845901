import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { NoticeDraftStatus } from '../../platform/db/schema.js'

export interface NoticeDraftRow {
  id: string
  caseId: string
  templateId: string
  locale: 'de' | 'en'
  title: string
  status: NoticeDraftStatus
  body: string
  version: number
  lastUpdateId: number
  createdBy: string
  createdByName: string | null
  createdAt: Date
  updatedBy: string | null
  updatedByName: string | null
  updatedAt: Date
  signedBy: string | null
  signedByName: string | null
  signedAt: Date | null
  fileId: string | null
  messageId: string | null
  documentId: string | null
}

export interface NoticeDraftWithState extends NoticeDraftRow {
  state: Uint8Array
}

const columns = [
  'd.id',
  'd.case_id as caseId',
  'd.template_id as templateId',
  'd.locale',
  'd.title',
  'd.status',
  'd.body',
  'd.version',
  'd.last_update_id as lastUpdateId',
  'd.created_by as createdBy',
  'd.created_at as createdAt',
  'd.updated_by as updatedBy',
  'd.updated_at as updatedAt',
  'd.signed_by as signedBy',
  'd.signed_at as signedAt',
  'd.file_id as fileId',
  'd.message_id as messageId',
  'd.document_id as documentId',
] as const

function withNames(db: Db) {
  return db
    .selectFrom('notice_drafts as d')
    .leftJoin('staff as creator', 'creator.id', 'd.created_by')
    .leftJoin('staff as editor', 'editor.id', 'd.updated_by')
    .leftJoin('staff as signer', 'signer.id', 'd.signed_by')
    .select([
      ...columns,
      'creator.name as createdByName',
      'editor.name as updatedByName',
      'signer.name as signedByName',
    ])
}

const asRow = <T extends { locale: string }>(row: T) => ({
  ...row,
  locale: row.locale === 'en' ? ('en' as const) : ('de' as const),
})

/** A draft of the case, with its Yjs state; another case's draft answers like a missing one. */
export async function findNoticeDraft(
  db: Db,
  caseId: string,
  draftId: string,
): Promise<NoticeDraftWithState | undefined> {
  const row = await withNames(db)
    .select('d.yjs_state as state')
    .where('d.id', '=', draftId)
    .where('d.case_id', '=', caseId)
    .executeTakeFirst()
  return row ? { ...asRow(row), state: new Uint8Array(row.state) } : undefined
}

/** Locks the draft: every change to one draft is serialised, so update ids grow in commit order per draft. */
export async function lockNoticeDraft(
  trx: Trx,
  caseId: string,
  draftId: string,
): Promise<NoticeDraftWithState | undefined> {
  const row = await trx
    .selectFrom('notice_drafts as d')
    .select([...columns, 'd.yjs_state as state'])
    .where('d.id', '=', draftId)
    .where('d.case_id', '=', caseId)
    .forUpdate()
    .executeTakeFirst()
  return row
    ? { ...asRow(row), createdByName: null, updatedByName: null, signedByName: null, state: new Uint8Array(row.state) }
    : undefined
}

export async function listNoticeDraftsOfCase(db: Db, caseId: string): Promise<NoticeDraftRow[]> {
  const rows = await withNames(db)
    .where('d.case_id', '=', caseId)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id')
    .execute()
  return rows.map(asRow)
}

export async function insertNoticeDraft(
  db: Db,
  draft: {
    id: string
    caseId: string
    templateId: string
    locale: string
    title: string
    body: string
    state: Uint8Array
    staffId: string
  },
) {
  await db
    .insertInto('notice_drafts')
    .values({
      id: draft.id,
      case_id: draft.caseId,
      template_id: draft.templateId,
      locale: draft.locale,
      title: draft.title,
      body: draft.body,
      yjs_state: Buffer.from(draft.state),
      created_by: draft.staffId,
      updated_by: draft.staffId,
    })
    .execute()
}

/** Stores one change: the update for the other editors, the new state and text, the next version. */
export async function storeNoticeChange(
  trx: Trx,
  draftId: string,
  change: { state: Uint8Array; text: string; delta: Uint8Array; staffId: string },
) {
  const inserted = await trx
    .insertInto('notice_draft_updates')
    .values({ draft_id: draftId, payload: Buffer.from(change.delta), staff_id: change.staffId })
    .returning('id')
    .executeTakeFirstOrThrow()
  const updated = await trx
    .updateTable('notice_drafts')
    .set({
      yjs_state: Buffer.from(change.state),
      body: change.text,
      last_update_id: inserted.id,
      updated_by: change.staffId,
      updated_at: new Date(),
      version: sql<number>`version + 1`,
    })
    .where('id', '=', draftId)
    .returning('version')
    .executeTakeFirstOrThrow()
  return { updateId: Number(inserted.id), version: updated.version }
}

export interface NoticeUpdateRow {
  id: number
  payload: Uint8Array
  staffId: string | null
}

/** Updates of a draft after the given id, oldest first. */
export async function listNoticeUpdates(
  db: Db,
  draftId: string,
  afterId: number,
  limit: number,
): Promise<NoticeUpdateRow[]> {
  const rows = await db
    .selectFrom('notice_draft_updates')
    .select(['id', 'payload', 'staff_id as staffId'])
    .where('draft_id', '=', draftId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(r => ({ id: Number(r.id), payload: new Uint8Array(r.payload), staffId: r.staffId }))
}

export async function setNoticeSigned(
  trx: Trx,
  draftId: string,
  signed: { staffId: string; fileId: string; messageId: string; documentId: string | null },
) {
  await trx
    .updateTable('notice_drafts')
    .set({
      status: 'signed',
      signed_by: signed.staffId,
      signed_at: new Date(),
      file_id: signed.fileId,
      message_id: signed.messageId,
      document_id: signed.documentId,
      updated_at: new Date(),
      version: sql<number>`version + 1`,
    })
    .where('id', '=', draftId)
    .execute()
  await dropSyncHistory(trx, draftId)
}

/**
 * A closed draft takes no more edits: the keystroke-sized updates only served to sync open editors and go; the
 * final state and text stay on the draft (and a signed notice in the e-file).
 */
async function dropSyncHistory(trx: Trx, draftId: string) {
  await trx.deleteFrom('notice_draft_updates').where('draft_id', '=', draftId).execute()
}

export async function setNoticeDiscarded(trx: Trx, draftId: string, staffId: string) {
  await trx
    .updateTable('notice_drafts')
    .set({ status: 'discarded', updated_by: staffId, updated_at: new Date(), version: sql<number>`version + 1` })
    .where('id', '=', draftId)
    .execute()
  await dropSyncHistory(trx, draftId)
}

/** Whether the staff member's edits of the draft were audited within the last minutes (keystrokes are not audited one by one). */
export async function wasEditAuditedSince(db: Db, draftId: string, staffId: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('subject_type', '=', 'notice_draft')
    .where('subject_id', '=', draftId)
    .where('action', '=', 'notice.edit')
    .where('actor_staff_id', '=', staffId)
    .where('at', '>', since)
    .limit(1)
    .executeTakeFirst()
  return !!row
}

/** Whether the draft belongs to the case, and its status; for the routes that need no content (live, presence). */
export async function findNoticeDraftStatus(
  db: Db,
  caseId: string,
  draftId: string,
): Promise<NoticeDraftStatus | undefined> {
  const row = await db
    .selectFrom('notice_drafts')
    .select('status')
    .where('id', '=', draftId)
    .where('case_id', '=', caseId)
    .executeTakeFirst()
  return row?.status
}

export async function insertNoticePreview(db: Db, row: { draftId: string; staffId: string; version: number }) {
  await db
    .insertInto('notice_previews')
    .values({ draft_id: row.draftId, staff_id: row.staffId, version: row.version })
    .onConflict(oc => oc.columns(['draft_id', 'staff_id', 'version']).doNothing())
    .execute()
}

export async function hasSeenPreview(
  db: Db,
  row: { draftId: string; staffId: string; version: number },
): Promise<boolean> {
  return !!(await db
    .selectFrom('notice_previews')
    .select('version')
    .where('draft_id', '=', row.draftId)
    .where('staff_id', '=', row.staffId)
    .where('version', '=', row.version)
    .executeTakeFirst())
}

export interface NoticeCommentRow {
  id: string
  staffName: string
  officeId: string
  body: string
  createdAt: Date
}

export async function insertNoticeComment(
  trx: Trx,
  row: { id: string; draftId: string; staffId: string; officeId: string; body: string },
) {
  await trx
    .insertInto('notice_draft_comments')
    .values({ id: row.id, draft_id: row.draftId, staff_id: row.staffId, office_id: row.officeId, body: row.body })
    .execute()
}

/** The comments on a draft, oldest first, with their authors' names. */
export function listNoticeComments(db: Db, draftId: string): Promise<NoticeCommentRow[]> {
  return db
    .selectFrom('notice_draft_comments as c')
    .innerJoin('staff as s', 's.id', 'c.staff_id')
    .select(['c.id', 's.name as staffName', 'c.office_id as officeId', 'c.body', 'c.created_at as createdAt'])
    .where('c.draft_id', '=', draftId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute()
}

/** How many comments each draft of the case has (drafts without any are left out). */
export async function countNoticeCommentsOfCase(db: Db, caseId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('notice_draft_comments as c')
    .innerJoin('notice_drafts as d', 'd.id', 'c.draft_id')
    .select(['c.draft_id as draftId', db.fn.countAll<string>().as('count')])
    .where('d.case_id', '=', caseId)
    .groupBy('c.draft_id')
    .execute()
  return Object.fromEntries(rows.map(r => [r.draftId, Number(r.count)]))
}
