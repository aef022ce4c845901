import type { Db } from '../db/database.js'
import type { DeletionCount, RetentionSweep } from '../privacy/index.js'

/**
 * Audit rows say who read or changed whose data; they are kept for their own period (AUDIT_RETENTION_DAYS), long
 * enough to answer a person's question or a data-protection check, and then deleted like any other personal data.
 */
export function auditRetention(days: number): RetentionSweep {
  return {
    id: 'audit',
    async sweep(db: Db, now: Date): Promise<DeletionCount[]> {
      const before = new Date(now.getTime() - days * 86_400_000)
      const deleted = await db.deleteFrom('audit_log').where('at', '<', before).executeTakeFirst()
      return [{ subjectType: 'audit', outcome: 'deleted', count: Number(deleted.numDeletedRows), details: { days } }]
    },
  }
}
