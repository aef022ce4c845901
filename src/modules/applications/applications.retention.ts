import type { Db, Trx } from '../../platform/db/database.js'
import type { DeletionCount, RetentionSweep } from '../../platform/privacy/index.js'
import type { CaseRecordHolder } from '../cases/index.js'
import { draftsAwaitingSubmission } from '../payments/index.js'

/**
 * Drafts nobody touched for `days` days (DRAFT_RETENTION_DAYS) go, with the uploads that never reached a case. A
 * draft whose payment is pending or paid stays: reconciliation still turns it into a case.
 */
export function draftRetention(days: number): RetentionSweep {
  return {
    id: 'drafts',
    async sweep(db: Db, now: Date): Promise<DeletionCount[]> {
      const before = new Date(now.getTime() - days * 86_400_000)
      return db.transaction().execute(async trx => {
        const untouched = await trx
          .selectFrom('drafts')
          .select('id')
          .where('case_id', 'is', null)
          .where('updated_at', '<', before)
          .execute()
        const awaiting = await draftsAwaitingSubmission(
          trx,
          untouched.map(d => d.id),
        )
        const stale = untouched.map(d => d.id).filter(id => !awaiting.has(id))
        if (stale.length === 0) return []
        const files = await trx
          .deleteFrom('files')
          .where('draft_id', 'in', stale)
          .where('case_id', 'is', null)
          .executeTakeFirst()
        const drafts = await trx.deleteFrom('drafts').where('id', 'in', stale).executeTakeFirst()
        return [
          { subjectType: 'draft', outcome: 'deleted', count: Number(drafts.numDeletedRows), details: { days } },
          { subjectType: 'draft-file', outcome: 'deleted', count: Number(files.numDeletedRows), details: { days } },
        ]
      })
    },
  }
}

/** A deleted case's draft (its answers once more) and the idempotency key that named it go with the case. */
export const caseDrafts: CaseRecordHolder = {
  id: 'drafts',
  async forgetCases(trx: Trx, caseIds: string[]): Promise<DeletionCount[]> {
    const drafts = trx.selectFrom('drafts').select('id').where('case_id', 'in', caseIds)
    await trx.deleteFrom('submission_keys').where('draft_id', 'in', drafts).execute()
    const deleted = await trx.deleteFrom('drafts').where('case_id', 'in', caseIds).executeTakeFirst()
    return [{ subjectType: 'draft', outcome: 'deleted', count: Number(deleted.numDeletedRows) }]
  },
}
