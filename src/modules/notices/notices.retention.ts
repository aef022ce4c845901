import type { Trx } from '../../platform/db/database.js'
import type { DeletionCount } from '../../platform/privacy/index.js'
import type { CaseRecordHolder } from '../cases/index.js'

/** A deleted case's notice drafts go first: a signed draft points at its letter's file, which goes with the case. */
export const caseNotices: CaseRecordHolder = {
  id: 'notices',
  async forgetCases(trx: Trx, caseIds: string[]): Promise<DeletionCount[]> {
    const deleted = await trx.deleteFrom('notice_drafts').where('case_id', 'in', caseIds).executeTakeFirst()
    return [{ subjectType: 'notice-draft', outcome: 'deleted', count: Number(deleted.numDeletedRows) }]
  },
}
