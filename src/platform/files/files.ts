import crypto from 'node:crypto'
import path from 'node:path'
import { fileTypeFromBuffer } from 'file-type'
import type { Db, Trx } from '../db/database.js'
import { scanRefusalKey, type VirusScanner } from './virus-scan.js'

export const DEFAULT_ACCEPT = ['application/pdf', 'image/jpeg', 'image/png'] as const
export interface StoredFile {
  fileId: string
  filename: string
  sizeBytes: number
  mediaType: string
}
export interface UploadedFile {
  fieldName: string
  filename: string
  content: Buffer
}
export type UploadCheck =
  | { ok: true; mediaType: string }
  | { ok: false; key: string; params: Record<string, string | number> }

/** Keeps a readable, harmless file name: no folders, no control characters, bounded length. */
export function safeFilename(name: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '_')
    .trim()
  return (base || 'upload').slice(-150)
}

/**
 * Judges a file by its content (magic bytes), never by its name or the browser's claim, and has it scanned for
 * viruses; every upload passes here before anything of it is stored, so the scanner is not optional.
 */
export async function checkUpload(
  scanner: VirusScanner,
  content: Buffer,
  accept: readonly string[] = DEFAULT_ACCEPT,
  maxSizeMb = 10,
): Promise<UploadCheck> {
  if (content.length === 0) return { ok: false, key: 'forms.error.fileEmpty', params: {} }
  if (content.length > maxSizeMb * 1024 * 1024)
    return { ok: false, key: 'forms.error.fileTooLarge', params: { size: maxSizeMb } }
  // Scanned before its type is judged: malware is named as such, whatever it pretends to be.
  const refusal = scanRefusalKey(await scanner.scan(content))
  if (refusal) return { ok: false, key: refusal, params: {} }
  const detected = await fileTypeFromBuffer(content)
  if (!detected || !accept.includes(detected.mime)) {
    return {
      ok: false,
      key: 'forms.error.fileType',
      params: { types: accept.map(m => m.split('/')[1]!.toUpperCase()).join(', ') },
    }
  }
  return { ok: true, mediaType: detected.mime }
}

export async function storeFile(
  db: Db,
  input: {
    content: Buffer
    filename: string
    mediaType: string
    draftId?: string | null
    caseId?: string | null
    accountId?: string | null
    staffId?: string | null
    /** Given when the answers naming the file are made before it is stored (one-request submissions). */
    id?: string
  },
): Promise<StoredFile> {
  const id = input.id ?? crypto.randomUUID()
  const filename = safeFilename(input.filename)
  await db
    .insertInto('files')
    .values({
      id,
      draft_id: input.draftId ?? null,
      case_id: input.caseId ?? null,
      filename,
      media_type: input.mediaType,
      size_bytes: input.content.length,
      sha256: crypto.createHash('sha256').update(input.content).digest('hex'),
      content: input.content,
      uploaded_by_account_id: input.accountId ?? null,
      uploaded_by_staff_id: input.staffId ?? null,
    })
    .execute()
  return { fileId: id, filename, sizeBytes: input.content.length, mediaType: input.mediaType }
}

/** Moves a draft's uploads to the case it became. */
export async function attachDraftFilesToCase(
  db: Db,
  draftId: string,
  caseId: string,
  fileIds: string[],
): Promise<void> {
  if (!fileIds.length) return
  await db
    .updateTable('files')
    .set({ case_id: caseId })
    .where('id', 'in', fileIds)
    .where('draft_id', '=', draftId)
    .execute()
}

/** Deletes a draft's uploads that no case took (replaced or removed while filling in). */
export async function deleteUnattachedDraftFiles(db: Db, draftId: string): Promise<void> {
  await db.deleteFrom('files').where('draft_id', '=', draftId).where('case_id', 'is', null).execute()
}

/** Sends a stored file as a download; the name is quoted so it cannot inject headers. */
export function contentDisposition(filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  return `${disposition}; filename="${filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

/** Erasure of an account: the files it uploaded stay with their case, without saying who uploaded them. */
export async function forgetUploader(trx: Trx, accountId: string): Promise<number> {
  const result = await trx
    .updateTable('files')
    .set({ uploaded_by_account_id: null, session_hash: null })
    .where('uploaded_by_account_id', '=', accountId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
