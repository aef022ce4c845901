import type { Db } from '../db/database.js'
import type { DeletionCount, RetentionSweep } from '../privacy/index.js'

/**
 * The outbox holds each mail's recipient and text; after MAIL_RETENTION_DAYS it has been delivered or will never be,
 * so it goes (its attachment links with it; the attached files belong to their case).
 */
export function mailRetention(days: number): RetentionSweep {
  return {
    id: 'mail',
    async sweep(db: Db, now: Date): Promise<DeletionCount[]> {
      const before = new Date(now.getTime() - days * 86_400_000)
      const deleted = await db.deleteFrom('mail_outbox').where('created_at', '<', before).executeTakeFirst()
      return [{ subjectType: 'mail', outcome: 'deleted', count: Number(deleted.numDeletedRows), details: { days } }]
    },
  }
}
