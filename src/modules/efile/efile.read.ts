import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import type { CaseOfFile, EfileCaseAccess } from './efile.cases.js'
import { FileDocumentNotFound } from './efile.errors.js'
import { processOf, type FileDocumentKind, type FileProcess } from './efile.kinds.js'
import {
  findCaseRetention,
  findVersionFile,
  listVersionsOfCase,
  searchVersions,
  type SearchHit,
  type VersionRow,
} from './efile.queries.js'

export type Author =
  | { kind: 'staff'; staffId: string; name: string }
  | { kind: 'applicant'; accountId: string }
  | { kind: 'system' }

export interface FileVersion {
  version: number
  title: string
  text: string | null
  file: { id: string; filename: string; mediaType: string; sizeBytes: number; sha256: string } | null
  createdAt: Date
  createdBy: Author
  /** Whether text was found in the file (PDF); null while the job has not run yet. */
  textFound: boolean | null
}

export interface FileDocument {
  id: string
  kind: FileDocumentKind
  process: FileProcess
  title: string
  currentVersion: number
  createdAt: Date
  /** Ascending; the last is the current one. */
  versions: FileVersion[]
}

export interface CaseFile {
  record: CaseOfFile
  retainUntil: string
  documents: FileDocument[]
}

function authorOf(row: VersionRow): Author {
  if (row.createdByStaffId) return { kind: 'staff', staffId: row.createdByStaffId, name: row.createdByStaffName ?? '' }
  if (row.createdByAccountId) return { kind: 'applicant', accountId: row.createdByAccountId }
  return { kind: 'system' }
}

/** Rows of versions, as the queries return them, to documents each with its versions. */
export function groupVersions(rows: VersionRow[]): FileDocument[] {
  const documents = new Map<string, FileDocument>()
  for (const row of rows) {
    let doc = documents.get(row.documentId)
    if (!doc) {
      doc = {
        id: row.documentId,
        kind: row.kind,
        process: processOf(row.kind),
        title: row.documentTitle,
        currentVersion: row.currentVersion,
        createdAt: row.documentCreatedAt,
        versions: [],
      }
      documents.set(row.documentId, doc)
    }
    doc.versions.push({
      version: row.version,
      title: row.title,
      text: row.text,
      file: row.fileId
        ? {
            id: row.fileId,
            filename: row.filename ?? '',
            mediaType: row.mediaType ?? '',
            sizeBytes: row.sizeBytes ?? 0,
            sha256: row.sha256 ?? '',
          }
        : null,
      createdAt: row.createdAt,
      createdBy: authorOf(row),
      textFound:
        row.fileId && row.mediaType === 'application/pdf' ? (row.extractedAt ? row.hasExtractedText : null) : null,
    })
  }
  return [...documents.values()]
}

/** Everything in a case's file (for staff who may see the case), without writing the audit row: the caller does. */
export async function loadCaseFile(
  db: Db,
  cases: EfileCaseAccess,
  staff: StaffMember,
  caseId: string,
  opts: { allowInvolved?: boolean } = {},
): Promise<CaseFile> {
  const record = await cases.findForStaff(db, staff, caseId, opts)
  const retention = await findCaseRetention(db, caseId)
  const documents = groupVersions(await listVersionsOfCase(db, caseId))
  return { record, retainUntil: retention?.retainUntil ?? '', documents }
}

export interface CaseFileReading extends CaseFile {
  query: string
  hits: SearchHit[] | null
  /** Staff of the case's office edit notes and export; an office involved for a statement only reads. */
  inCaseOffice: boolean
}

/** How an office involved for a statement read the file, for the audit row (listed under the case's office). */
const involvedAudit = (cases: EfileCaseAccess, staff: StaffMember, officeId: string) =>
  cases.canWorkOn(staff, officeId) ? {} : { as: 'involved' }

/**
 * The case file page: its documents and, when asked, the search, for the case's office and offices involved in
 * the case (read only, as the case view); every look is in the audit log.
 */
export async function readCaseFile(
  db: Db,
  cases: EfileCaseAccess,
  staff: StaffMember,
  caseId: string,
  query: string,
): Promise<CaseFileReading> {
  return db.transaction().execute(async trx => {
    const file = await loadCaseFile(trx, cases, staff, caseId, { allowInvolved: true })
    const q = query.trim()
    const hits = q ? await searchVersions(trx, caseId, q) : null
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'efile.read',
      subjectType: 'case',
      subjectId: caseId,
      officeId: file.record.officeId,
      details: {
        ...(q ? { query: q, hits: hits?.length ?? 0 } : {}),
        ...involvedAudit(cases, staff, file.record.officeId),
      },
    })
    return { ...file, query: q, hits, inCaseOffice: cases.canWorkOn(staff, file.record.officeId) }
  })
}

/** The stored file of one version, for download; audited like every read of the file. */
export async function readVersionFile(
  db: Db,
  cases: EfileCaseAccess,
  staff: StaffMember,
  caseId: string,
  documentId: string,
  version: number,
) {
  return db.transaction().execute(async trx => {
    const record = await cases.findForStaff(trx, staff, caseId, { allowInvolved: true })
    const file = await findVersionFile(trx, caseId, documentId, version)
    if (!file) throw new FileDocumentNotFound()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'efile.read',
      subjectType: 'file_document',
      subjectId: documentId,
      officeId: record.officeId,
      details: { caseId, version, fileId: file.id, ...involvedAudit(cases, staff, record.officeId) },
    })
    return file
  })
}
