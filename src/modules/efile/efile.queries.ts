import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { FileDocumentKind } from './efile.kinds.js'

/** Every SQL statement on the case file's own tables (file_documents, file_document_versions). */

/**
 * The case's language (for the text search) and the day until which its file is kept. The one read of the kernel's
 * `cases` table here: every document is filed through efile, from modules the kernel may not be imported by.
 */
export function findCaseRetention(
  db: Db,
  caseId: string,
): Promise<{ locale: string; retainUntil: string | null } | undefined> {
  return db
    .selectFrom('cases')
    .select(['locale', 'retain_until as retainUntil'])
    .where('id', '=', caseId)
    .executeTakeFirst()
}

export async function insertDocument(
  trx: Trx,
  doc: { id: string; caseId: string; kind: FileDocumentKind; title: string; at: Date },
) {
  await trx
    .insertInto('file_documents')
    .values({
      id: doc.id,
      case_id: doc.caseId,
      kind: doc.kind,
      title: doc.title,
      current_version: 1,
      created_at: doc.at,
      updated_at: doc.at,
    })
    .execute()
}

/** Locks the document row, so two new versions at once get numbers one after the other. */
export function lockDocument(trx: Trx, documentId: string) {
  return trx
    .selectFrom('file_documents')
    .select(['id', 'case_id as caseId', 'kind', 'title', 'current_version as currentVersion'])
    .where('id', '=', documentId)
    .forUpdate()
    .executeTakeFirst()
}

export async function setCurrentVersion(trx: Trx, documentId: string, version: number, title: string, at: Date) {
  await trx
    .updateTable('file_documents')
    .set({ current_version: version, title, updated_at: at })
    .where('id', '=', documentId)
    .execute()
}

export async function insertVersion(
  trx: Trx,
  v: {
    documentId: string
    version: number
    title: string
    text: string | null
    fileId: string | null
    searchConfig: string
    staffId: string | null
    accountId: string | null
    at: Date
  },
) {
  await trx
    .insertInto('file_document_versions')
    .values({
      document_id: v.documentId,
      version: v.version,
      title: v.title,
      text_content: v.text,
      file_id: v.fileId,
      search_config: v.searchConfig,
      created_by_staff_id: v.staffId,
      created_by_account_id: v.accountId,
      created_at: v.at,
    })
    .execute()
}

/** The stored file a version is to point at: its case (null while it belongs to a draft only) and type. */
export function findFileFacts(trx: Trx, fileId: string) {
  return trx
    .selectFrom('files')
    .select(['id', 'case_id as caseId', 'media_type as mediaType'])
    .where('id', '=', fileId)
    .executeTakeFirst()
}

export async function attachFileToCase(trx: Trx, fileId: string, caseId: string) {
  await trx
    .updateTable('files')
    .set({ case_id: caseId })
    .where('id', '=', fileId)
    .where('case_id', 'is', null)
    .execute()
}

export interface VersionRow {
  documentId: string
  kind: FileDocumentKind
  documentTitle: string
  currentVersion: number
  documentCreatedAt: Date
  version: number
  title: string
  text: string | null
  fileId: string | null
  filename: string | null
  mediaType: string | null
  sizeBytes: number | null
  sha256: string | null
  createdAt: Date
  createdByStaffId: string | null
  createdByStaffName: string | null
  createdByAccountId: string | null
  extractedAt: Date | null
  hasExtractedText: boolean
}

/** Every version of every document of a case, documents in the order they were filed, versions ascending. */
export function listVersionsOfCase(db: Db, caseId: string): Promise<VersionRow[]> {
  return db
    .selectFrom('file_documents as d')
    .innerJoin('file_document_versions as v', 'v.document_id', 'd.id')
    .leftJoin('files as f', 'f.id', 'v.file_id')
    .leftJoin('staff as s', 's.id', 'v.created_by_staff_id')
    .select([
      'd.id as documentId',
      'd.kind',
      'd.title as documentTitle',
      'd.current_version as currentVersion',
      'd.created_at as documentCreatedAt',
      'v.version',
      'v.title',
      'v.text_content as text',
      'v.file_id as fileId',
      'f.filename',
      'f.media_type as mediaType',
      'f.size_bytes as sizeBytes',
      'f.sha256',
      'v.created_at as createdAt',
      'v.created_by_staff_id as createdByStaffId',
      's.name as createdByStaffName',
      'v.created_by_account_id as createdByAccountId',
      'v.extracted_at as extractedAt',
      sql<boolean>`v.extracted_text is not null and v.extracted_text <> ''`.as('hasExtractedText'),
    ])
    .where('d.case_id', '=', caseId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .orderBy('v.version')
    .execute() as Promise<VersionRow[]>
}

export function findCurrentVersion(db: Db, caseId: string, documentId: string) {
  return db
    .selectFrom('file_documents as d')
    .innerJoin('file_document_versions as v', j =>
      j.onRef('v.document_id', '=', 'd.id').onRef('v.version', '=', 'd.current_version'),
    )
    .leftJoin('staff as s', 's.id', 'v.created_by_staff_id')
    .select([
      'd.id as documentId',
      'd.kind',
      'd.title',
      'd.current_version as currentVersion',
      'v.version',
      'v.text_content as text',
      'v.file_id as fileId',
      'v.created_at as createdAt',
      's.name as createdByStaffName',
    ])
    .where('d.case_id', '=', caseId)
    .where('d.id', '=', documentId)
    .executeTakeFirst()
}

/** The stored file of one version of one document of the case. */
export function findVersionFile(db: Db, caseId: string, documentId: string, version: number) {
  return db
    .selectFrom('file_documents as d')
    .innerJoin('file_document_versions as v', 'v.document_id', 'd.id')
    .innerJoin('files as f', 'f.id', 'v.file_id')
    .select(['f.id', 'f.filename', 'f.media_type as mediaType', 'f.content'])
    .where('d.case_id', '=', caseId)
    .where('d.id', '=', documentId)
    .where('v.version', '=', version)
    .executeTakeFirst()
}

/** The bytes of the files on record in a case file, for the export. */
export async function readFilesOfCase(db: Db, caseId: string): Promise<Map<string, Buffer>> {
  const rows = await db
    .selectFrom('file_documents as d')
    .innerJoin('file_document_versions as v', 'v.document_id', 'd.id')
    .innerJoin('files as f', 'f.id', 'v.file_id')
    .select(['f.id', 'f.content'])
    .where('d.case_id', '=', caseId)
    .execute()
  return new Map(rows.map(r => [r.id, Buffer.from(r.content)]))
}

/** Markers ts_headline puts around a hit; removed from the text first, so only the database's hits carry them. */
export const HIT_START = '\u0001'
export const HIT_END = '\u0002'

export interface SearchHit {
  documentId: string
  kind: FileDocumentKind
  title: string
  version: number
  currentVersion: number
  headline: string
}

export const SEARCH_LIMIT = 50

/**
 * Full-text search over every version of a case's documents (title, text, text found in PDFs), in the case's language
 * and word for word; the best hits first, each with a snippet whose hits are between HIT_START and HIT_END.
 */
export async function searchVersions(db: Db, caseId: string, query: string): Promise<SearchHit[]> {
  const options = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=10, MaxFragments=3, FragmentDelimiter=" … "`
  const result = await sql<SearchHit>`
    select d.id as "documentId", d.kind, d.title, v.version, d.current_version as "currentVersion",
      ts_headline(v.search_config,
        translate(v.title || E'\n' || coalesce(v.text_content, '') || E'\n' || coalesce(v.extracted_text, ''), ${HIT_START + HIT_END}, ''),
        q.query, ${options}) as headline
    from file_documents d
    join file_document_versions v on v.document_id = d.id
    cross join lateral (select websearch_to_tsquery(v.search_config, ${query}) || websearch_to_tsquery('simple', ${query}) as query) q
    where d.case_id = ${caseId} and v.search @@ q.query
    order by ts_rank(v.search, q.query) desc, d.created_at, d.id, v.version desc
    limit ${SEARCH_LIMIT}`.execute(db)
  return result.rows
}

/** A version whose file may hold text: what the extraction job needs. */
export function findVersionForExtraction(db: Db, documentId: string, version: number) {
  return db
    .selectFrom('file_document_versions as v')
    .innerJoin('files as f', 'f.id', 'v.file_id')
    .select(['v.extracted_at as extractedAt', 'f.media_type as mediaType', 'f.content'])
    .where('v.document_id', '=', documentId)
    .where('v.version', '=', version)
    .executeTakeFirst()
}

/** Stores the text found in a version's file; once (a second run of the job finds it done). */
export async function setExtractedText(
  db: Db,
  documentId: string,
  version: number,
  text: string | null,
): Promise<void> {
  await db
    .updateTable('file_document_versions')
    .set({ extracted_text: text, extracted_at: new Date() })
    .where('document_id', '=', documentId)
    .where('version', '=', version)
    .where('extracted_at', 'is', null)
    .execute()
}
