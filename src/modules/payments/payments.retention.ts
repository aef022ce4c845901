import type { Db, Trx } from '../../platform/db/database.js'
import type { DeletionCount } from '../../platform/privacy/index.js'
import type { CaseRecordHolder } from '../cases/index.js'

/**
 * When a case goes, its payments stay: they are the treasury's bookings, kept for the treasury's own period
 * (§ 147 AO / Haushaltsrecht), not the case's. They are detached from the case, the account, the draft, the receipt
 * and the fee notice, so that only reference, service, office, amount, status and dates remain. The fee notices
 * themselves (addressed to the applicant, their PDF filed in the case) go with the case.
 */
export const casePayments: CaseRecordHolder = {
  id: 'payments',
  async forgetCases(trx: Trx, caseIds: string[]): Promise<DeletionCount[]> {
    const notices = trx.selectFrom('fee_notices').select('id').where('case_id', 'in', caseIds)
    const detached = await trx
      .updateTable('payments')
      .set({
        case_id: null,
        account_id: null,
        draft_id: null,
        receipt_file_id: null,
        fee_notice_id: null,
        redirect_url: null,
      })
      .where(eb => eb.or([eb('case_id', 'in', caseIds), eb('fee_notice_id', 'in', notices)]))
      .executeTakeFirst()
    const deleted = await trx.deleteFrom('fee_notices').where('case_id', 'in', caseIds).executeTakeFirst()
    return [
      { subjectType: 'payment', outcome: 'anonymised', count: Number(detached.numUpdatedRows) },
      { subjectType: 'fee-notice', outcome: 'deleted', count: Number(deleted.numDeletedRows) },
    ]
  },
}

/** Of these drafts, those with a payment pending or paid: reconciliation still turns them into cases. */
export async function draftsAwaitingSubmission(db: Db, draftIds: string[]): Promise<Set<string>> {
  if (draftIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('payments')
    .select('draft_id as draftId')
    .where('draft_id', 'in', draftIds)
    .where('status', 'in', ['pending', 'paid'])
    .execute()
  return new Set(rows.flatMap(r => (r.draftId ? [r.draftId] : [])))
}
