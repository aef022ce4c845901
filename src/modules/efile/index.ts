// The electronic case file (E-Akte): what other modules may call.
import { fileDocument as fileDocumentInFile } from './efile.file.js'
import type { Trx } from '../../platform/db/database.js'

export type FileDocumentKind =
  | 'submission'
  | 'attachment'
  | 'message'
  | 'note'
  | 'statement'
  | 'notice'
  | 'fee_notice'
  | 'receipt'
  | 'other'

/**
 * Files a document in the case's electronic file, in the caller's transaction; with `documentId`, a new version of
 * that document (numbered under its row lock). Needs a text, a file (of this case or not yet of any), or both.
 */
export async function fileDocument(
  trx: Trx,
  input: {
    caseId: string
    kind: FileDocumentKind
    title: string
    /** Set to add a new version of an existing document (e.g. an edited statement or note). */
    documentId?: string
    text?: string | null
    fileId?: string | null
    actor: { staffId?: string | null; accountId?: string | null }
  },
): Promise<{ documentId: string; version: number }> {
  return fileDocumentInFile(trx, input)
}

export { fileSubmission, fileSubmittedAttachments } from './efile.submission.js'
export { efileRoutes } from './efile.routes.js'
export type { EfileCaseAccess } from './efile.cases.js'
export { EXTRACT_TEXT_JOB, extractVersionText } from './efile.extract.js'
export { efileHolder } from './efile.personal-data.js'
export { archiveCaseFile, archiveName, type ArchiveMetadata } from './efile.export.js'
export { deleteCaseFiles } from './efile.retention.js'
