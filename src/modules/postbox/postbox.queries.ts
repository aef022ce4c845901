import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import { caseScopeOf, caseVisibleTo } from '../mandates/index.js'

export interface NewMessage {
  caseId: string
  accountId: string | null
  direction: 'to_applicant' | 'from_applicant'
  senderStaffId?: string | null
  subject: string
  body: string
  requestsDocuments?: boolean
  /** With requestsDocuments: the day by which they should arrive. */
  documentsDueOn?: string | null
}

export async function insertMessage(db: Db, message: NewMessage): Promise<string> {
  const id = crypto.randomUUID()
  await db
    .insertInto('messages')
    .values({
      id,
      case_id: message.caseId,
      account_id: message.accountId,
      direction: message.direction,
      sender_staff_id: message.senderStaffId ?? null,
      subject: message.subject,
      body: message.body,
      requests_documents: message.requestsDocuments ?? false,
      documents_due_on: message.documentsDueOn ?? null,
    })
    .execute()
  return id
}

const messageColumns = [
  'messages.id',
  'messages.case_id as caseId',
  'messages.direction',
  'messages.subject',
  'messages.body',
  'messages.requests_documents as requestsDocuments',
  'messages.documents_provided_at as documentsProvidedAt',
  'messages.documents_due_on as documentsDueOn',
  'messages.created_at as createdAt',
  'messages.read_at as readAt',
  'cases.reference',
  'cases.office_id as officeId',
] as const

export interface MessageRow {
  id: string
  caseId: string
  direction: 'to_applicant' | 'from_applicant'
  subject: string
  body: string
  requestsDocuments: boolean
  documentsProvidedAt: Date | null
  documentsDueOn: string | null
  createdAt: Date
  readAt: Date | null
  reference: string
  officeId: string
}

/** Messages to the account on cases it may still see: a revoked mandate takes its cases' letters away, too. */
export async function listMessagesOfAccount(db: Db, accountId: string, limit = 200): Promise<MessageRow[]> {
  const scope = await caseScopeOf(db, accountId)
  return db
    .selectFrom('messages')
    .innerJoin('cases', 'cases.id', 'messages.case_id')
    .select(messageColumns)
    .where('messages.account_id', '=', accountId)
    .where(eb => caseVisibleTo(eb, scope))
    .where('messages.direction', '=', 'to_applicant')
    .orderBy('messages.created_at', 'desc')
    .orderBy('messages.id', 'desc')
    .limit(limit)
    .execute()
}

/** A message the account may see: sent to it, on a case it may still see. Any other id answers like a missing one. */
export async function findMessageOfAccount(
  db: Db,
  accountId: string,
  messageId: string,
): Promise<MessageRow | undefined> {
  const scope = await caseScopeOf(db, accountId)
  return db
    .selectFrom('messages')
    .innerJoin('cases', 'cases.id', 'messages.case_id')
    .select(messageColumns)
    .where('messages.id', '=', messageId)
    .where('messages.account_id', '=', accountId)
    .where(eb => caseVisibleTo(eb, scope))
    .where('messages.direction', '=', 'to_applicant')
    .executeTakeFirst()
}

export function lockMessage(trx: Trx, messageId: string) {
  return trx
    .selectFrom('messages')
    .select(['id', 'documents_provided_at as documentsProvidedAt', 'read_at as readAt'])
    .where('id', '=', messageId)
    .forUpdate()
    .executeTakeFirst()
}

export async function markMessageRead(db: Db, messageId: string) {
  await db
    .updateTable('messages')
    .set({ read_at: new Date() })
    .where('id', '=', messageId)
    .where('read_at', 'is', null)
    .execute()
}

export async function markDocumentsProvided(db: Db, messageId: string) {
  await db.updateTable('messages').set({ documents_provided_at: new Date() }).where('id', '=', messageId).execute()
}

export async function linkMessageFiles(db: Db, messageId: string, fileIds: string[]) {
  if (fileIds.length === 0) return
  await db
    .insertInto('message_files')
    .values(fileIds.map(fileId => ({ message_id: messageId, file_id: fileId })))
    .execute()
}

export interface CaseMessage {
  id: string
  direction: 'to_applicant' | 'from_applicant'
  subject: string
  body: string
  requestsDocuments: boolean
  documentsProvidedAt: Date | null
  createdAt: Date
  readAt: Date | null
  senderStaffName: string | null
  files: { id: string; filename: string }[]
}

/** All messages of a case, both ways, oldest first, with their attachments. */
export async function listMessagesOfCase(db: Db, caseId: string): Promise<CaseMessage[]> {
  const rows = await db
    .selectFrom('messages')
    .leftJoin('staff', 'staff.id', 'messages.sender_staff_id')
    .select([
      'messages.id',
      'messages.direction',
      'messages.subject',
      'messages.body',
      'messages.requests_documents as requestsDocuments',
      'messages.documents_provided_at as documentsProvidedAt',
      'messages.created_at as createdAt',
      'messages.read_at as readAt',
      'staff.name as senderStaffName',
    ])
    .where('messages.case_id', '=', caseId)
    .orderBy('messages.created_at')
    .orderBy('messages.id')
    .execute()
  if (rows.length === 0) return []
  const files = await db
    .selectFrom('message_files')
    .innerJoin('files', 'files.id', 'message_files.file_id')
    .select(['message_files.message_id as messageId', 'files.id', 'files.filename'])
    .where(
      'message_files.message_id',
      'in',
      rows.map(r => r.id),
    )
    .orderBy('files.created_at')
    .execute()
  return rows.map(r => ({
    ...r,
    files: files.filter(f => f.messageId === r.id).map(f => ({ id: f.id, filename: f.filename })),
  }))
}

/** Files attached to one message, for the applicant's view of it. */
export function listMessageFiles(db: Db, messageId: string) {
  return db
    .selectFrom('message_files')
    .innerJoin('files', 'files.id', 'message_files.file_id')
    .select(['files.id', 'files.filename'])
    .where('message_files.message_id', '=', messageId)
    .execute()
}

export async function countUnreadMessages(db: Db, accountId: string): Promise<number> {
  const scope = await caseScopeOf(db, accountId)
  const row = await db
    .selectFrom('messages')
    .innerJoin('cases', 'cases.id', 'messages.case_id')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('messages.account_id', '=', accountId)
    .where('messages.direction', '=', 'to_applicant')
    .where('messages.read_at', 'is', null)
    .where(eb => caseVisibleTo(eb, scope))
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Document requests not answered, due on or before `day`, whose applicant was not reminded yet. */
export function listOwedDocumentRequests(db: Db, day: string, limit: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'case_id as caseId', 'documents_due_on as documentsDueOn'])
    .where('requests_documents', '=', true)
    .where('documents_provided_at', 'is', null)
    .where('documents_reminded_at', 'is', null)
    .where('documents_due_on', 'is not', null)
    .where('documents_due_on', '<=', day)
    .orderBy('documents_due_on')
    .limit(limit)
    .execute() as Promise<{ id: string; caseId: string; documentsDueOn: string }[]>
}

/** Marks a request as reminded; false when it already was (another sweep got there first). */
export async function markDocumentsReminded(db: Db, messageId: string): Promise<boolean> {
  const row = await db
    .updateTable('messages')
    .set({ documents_reminded_at: new Date() })
    .where('id', '=', messageId)
    .where('documents_reminded_at', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return !!row
}

/** Whether the case still waits for documents it asked the applicant for. */
export async function hasOwedDocumentRequest(db: Db, caseId: string): Promise<boolean> {
  const owed = await db
    .selectFrom('messages')
    .select('id')
    .where('case_id', '=', caseId)
    .where('requests_documents', '=', true)
    .where('documents_provided_at', 'is', null)
    .executeTakeFirst()
  return !!owed
}
