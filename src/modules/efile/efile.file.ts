import crypto from 'node:crypto'
import type { Trx } from '../../platform/db/database.js'
import { enqueueJob } from '../../platform/jobs/index.js'
import { FileDocumentNotFound } from './efile.errors.js'
import { EXTRACT_TEXT_JOB } from './efile.extract.js'
import { searchConfigOf, type FileDocumentKind } from './efile.kinds.js'
import {
  attachFileToCase,
  findCaseRetention,
  findFileFacts,
  insertDocument,
  insertVersion,
  lockDocument,
  setCurrentVersion,
} from './efile.queries.js'

export interface FileDocumentInput {
  caseId: string
  kind: FileDocumentKind
  title: string
  /** Set to add a new version of an existing document (e.g. an edited statement or note). */
  documentId?: string
  text?: string | null
  fileId?: string | null
  actor: { staffId?: string | null; accountId?: string | null }
}

/**
 * Files a document in the case file, or a new version of one, in the caller's transaction: the file is
 * complete exactly when the change that produced the document commits. A new version is numbered under
 * the document's row lock. A PDF is queued for text extraction, so its words can be searched.
 */
export async function fileDocument(
  trx: Trx,
  input: FileDocumentInput,
): Promise<{ documentId: string; version: number }> {
  const text = input.text ?? null
  const fileId = input.fileId ?? null
  if (text === null && fileId === null)
    throw new Error(`a "${input.kind}" document of case ${input.caseId} needs a text or a file`)
  const found = await findCaseRetention(trx, input.caseId)
  if (!found) throw new Error(`no case ${input.caseId} to file a document in`)
  let mediaType: string | null = null
  if (fileId) {
    const file = await findFileFacts(trx, fileId)
    if (!file) throw new Error(`no stored file ${fileId} to file in case ${input.caseId}`)
    if (file.caseId && file.caseId !== input.caseId)
      throw new Error(`file ${fileId} belongs to another case than ${input.caseId}`)
    // A file on record belongs to its case: the case view lists it and the retention covers it.
    if (!file.caseId) await attachFileToCase(trx, fileId, input.caseId)
    mediaType = file.mediaType
  }
  const at = new Date()
  let documentId: string
  let version: number
  if (input.documentId) {
    const doc = await lockDocument(trx, input.documentId)
    if (!doc || doc.caseId !== input.caseId) throw new FileDocumentNotFound()
    if (doc.kind !== input.kind) throw new Error(`document ${doc.id} is a "${doc.kind}", not a "${input.kind}"`)
    documentId = doc.id
    version = doc.currentVersion + 1
    await setCurrentVersion(trx, documentId, version, input.title, at)
  } else {
    documentId = crypto.randomUUID()
    version = 1
    await insertDocument(trx, { id: documentId, caseId: input.caseId, kind: input.kind, title: input.title, at })
  }
  await insertVersion(trx, {
    documentId,
    version,
    title: input.title,
    text,
    fileId,
    searchConfig: searchConfigOf(found.locale),
    staffId: input.actor.staffId ?? null,
    accountId: input.actor.accountId ?? null,
    at,
  })
  if (mediaType === 'application/pdf') {
    await enqueueJob(trx, {
      name: EXTRACT_TEXT_JOB,
      payload: { documentId, version },
      key: `${EXTRACT_TEXT_JOB}:${documentId}:${version}`,
    })
  }
  return { documentId, version }
}
