import type { Db, Trx } from '../../platform/db/database.js'

export function listDismissals(db: Db | Trx, accountId: string) {
  return db
    .selectFrom('suggestion_dismissals')
    .select(['rule_id as ruleId', 'event_case_id as eventCaseId', 'dismissed_at as dismissedAt'])
    .where('account_id', '=', accountId)
    .orderBy('dismissed_at')
    .execute()
}

export async function insertDismissal(
  trx: Trx,
  row: { accountId: string; ruleId: string; eventCaseId: string; at: Date },
): Promise<void> {
  await trx
    .insertInto('suggestion_dismissals')
    .values({ account_id: row.accountId, rule_id: row.ruleId, event_case_id: row.eventCaseId, dismissed_at: row.at })
    .onConflict(oc => oc.columns(['account_id', 'rule_id', 'event_case_id']).doNothing())
    .execute()
}

/** Forgets every dismissal of an account; how many there were. */
export async function deleteDismissals(trx: Trx, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('suggestion_dismissals').where('account_id', '=', accountId).executeTakeFirst()
  return Number(result.numDeletedRows)
}
