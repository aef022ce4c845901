import type { Db, Trx } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import { storeFile } from '../../platform/files/files.js'
import { fileDocument } from '../efile/index.js'
import { MessageNotFound } from './postbox.errors.js'
import {
  findMessageOfAccount,
  insertMessage,
  linkMessageFiles,
  listMessageFiles,
  lockMessage,
  markDocumentsProvided,
  markMessageRead,
} from './postbox.queries.js'

export const REPLY_MAX = 10000

/** Opens a message of the account: marks it read and records the look at personal data. */
export async function openMessage(db: Db, accountId: string, messageId: string) {
  return db.transaction().execute(async trx => {
    const message = await findMessageOfAccount(trx, accountId, messageId)
    if (!message) throw new MessageNotFound()
    if (!message.readAt) await markMessageRead(trx, messageId)
    const files = await listMessageFiles(trx, messageId)
    await audit(trx, {
      actor: { accountId },
      action: 'message.read',
      subjectType: 'message',
      subjectId: messageId,
      officeId: message.officeId,
      details: { caseId: message.caseId },
    })
    return { message, files }
  })
}

/** A message of the account, without marking it read (the reply form posts to it). */
export async function findOwnMessage(db: Db, accountId: string, messageId: string) {
  const message = await findMessageOfAccount(db, accountId, messageId)
  if (!message) throw new MessageNotFound()
  return message
}

/** Whether a reply to this message must bring documents: asked for and not yet provided. */
export function awaitsDocuments(message: { requestsDocuments: boolean; documentsProvidedAt: Date | null }): boolean {
  return message.requestsDocuments && !message.documentsProvidedAt
}

/** An applicant's reply as the case sees it. */
export interface ApplicantReply {
  caseId: string
  accountId: string
  replyId: string
  inReplyTo: string
  fileCount: number
  /** The reply brought the documents the message asked for. */
  providesDocuments: boolean
}

/**
 * What a reply changes in its case, done by the case kernel inside the reply's transaction. The kernel delivers
 * through the postbox, so the postbox cannot import it: the composition root passes this in (src/extensions.ts).
 */
export type RecordReplyInCase = (trx: Trx, reply: ApplicantReply) => Promise<void>

export interface CheckedUpload {
  filename: string
  content: Buffer
  mediaType: string
}

/**
 * The applicant answers a message; uploads become files of the case. Answering a request for documents
 * marks it fulfilled and puts "documents provided" on the office's timeline.
 */
export async function replyToMessage(
  db: Db,
  recordInCase: RecordReplyInCase,
  accountId: string,
  messageId: string,
  reply: { body: string; uploads: CheckedUpload[] },
): Promise<void> {
  await db.transaction().execute(async trx => {
    const message = await findMessageOfAccount(trx, accountId, messageId)
    if (!message) throw new MessageNotFound()
    const locked = await lockMessage(trx, messageId)
    const providesDocuments = message.requestsDocuments && !locked?.documentsProvidedAt && reply.uploads.length > 0
    const replySubject = message.subject.startsWith('Re: ') ? message.subject : `Re: ${message.subject}`
    const replyId = await insertMessage(trx, {
      caseId: message.caseId,
      accountId,
      direction: 'from_applicant',
      subject: replySubject,
      body: reply.body,
    })
    await fileDocument(trx, {
      caseId: message.caseId,
      kind: 'message',
      title: replySubject,
      text: reply.body,
      actor: { accountId },
    })
    const fileIds: string[] = []
    for (const upload of reply.uploads) {
      const stored = await storeFile(trx, {
        content: upload.content,
        filename: upload.filename,
        mediaType: upload.mediaType,
        caseId: message.caseId,
        accountId,
      })
      await fileDocument(trx, {
        caseId: message.caseId,
        kind: 'attachment',
        title: stored.filename,
        fileId: stored.fileId,
        actor: { accountId },
      })
      fileIds.push(stored.fileId)
    }
    await linkMessageFiles(trx, replyId, fileIds)
    if (providesDocuments) await markDocumentsProvided(trx, messageId)
    await recordInCase(trx, {
      caseId: message.caseId,
      accountId,
      replyId,
      inReplyTo: messageId,
      fileCount: fileIds.length,
      providesDocuments,
    })
    await audit(trx, {
      actor: { accountId },
      action: 'message.reply',
      subjectType: 'message',
      subjectId: replyId,
      officeId: message.officeId,
      details: { caseId: message.caseId, inReplyTo: messageId, fileIds },
    })
  })
}
