import type { Trx } from '../../platform/db/database.js'
import type { DeletionCount } from '../../platform/privacy/index.js'
import type { CaseRecordHolder } from '../cases/index.js'

/** A deleted case's defect report goes first with its photos and followers: a photo points at its file. */
export const caseReports: CaseRecordHolder = {
  id: 'reports',
  async forgetCases(trx: Trx, caseIds: string[]): Promise<DeletionCount[]> {
    const deleted = await trx.deleteFrom('reports').where('case_id', 'in', caseIds).executeTakeFirst()
    return [{ subjectType: 'report', outcome: 'deleted', count: Number(deleted.numDeletedRows) }]
  },
}
