/**
 * The GDPR lifecycle's extension points. Each module owns its tables, so each module says what it holds about a
 * person (Art. 15/20 export, Art. 17 erasure) and what of its data has expired (retention); the composition root
 * lists them (src/personal-data.ts, src/retention.ts) and the privacy and retention modules run them.
 */
import type { Db, Trx } from '../db/database.js'
import type { DeletionReason } from '../db/schema.js'

/** A file that goes into a person's export, read only when the archive is written. */
export interface ExportedFile {
  /** Path inside the export's ZIP, e.g. `cases/2026-000123/antrag.pdf`. */
  path: string
  read(): Promise<Uint8Array>
}

/** What one module holds about an account. */
export interface PersonalDataPart {
  /** JSON-safe data, written as `<holder id>.json` in the export. */
  data: unknown
  files?: ExportedFile[]
}

/** One module's answer to "what do you hold about this person, and forget it". */
export interface PersonalDataHolder {
  /** Stable key, also the file name in the export: 'account', 'drafts', 'cases', 'postbox', 'payments', … */
  id: string
  exportFor(db: Db, accountId: string): Promise<PersonalDataPart>
  /**
   * Deletes or minimises what the module holds about the account, inside the erasure's transaction. What the city
   * must keep (a case within its retention period) is detached from the account and minimised, not deleted.
   * Returns what it did, counted per kind, for the deletion log.
   */
  eraseFor(trx: Trx, accountId: string): Promise<DeletionCount[]>
}

/** One module's part of the daily retention run: delete or anonymise what has expired at `now`. */
export interface RetentionSweep {
  id: string
  sweep(db: Db, now: Date): Promise<DeletionCount[]>
}

/** How many records of one kind were deleted or anonymised; `details` holds no personal data. */
export interface DeletionCount {
  subjectType: string
  outcome: 'deleted' | 'anonymised'
  count: number
  details?: Record<string, string | number>
}

/** Writes the deletion log: kinds and counts only, never a name, address, text or id of a person. */
export async function logDeletions(db: Db | Trx, reason: DeletionReason, counts: DeletionCount[]): Promise<void> {
  const rows = counts
    .filter(c => c.count > 0)
    .map(c => ({
      reason,
      subject_type: c.subjectType,
      outcome: c.outcome,
      count: c.count,
      details: JSON.stringify(c.details ?? {}),
    }))
  if (rows.length === 0) return
  await db.insertInto('deletion_log').values(rows).execute()
}

/** The newest entries of the deletion log, for the data-protection officer's page and tests. */
export function listDeletions(db: Db, limit = 100) {
  return db
    .selectFrom('deletion_log')
    .select(['id', 'at', 'reason', 'subject_type as subjectType', 'outcome', 'count', 'details'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
