import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'

/**
 * Defect reports the person filed (with the contact details given) and the reports they follow. A report is a case
 * and stays for its retention period without its reporter: erasure removes the contact details and the account
 * from it; following ends, whether by account or by the account's address.
 */
export const reportsHolder: PersonalDataHolder = {
  id: 'reports',
  async exportFor(db: Db, accountId: string) {
    const filed = await db
      .selectFrom('reports')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .select([
        'cases.reference',
        'reports.category_code as category',
        'reports.description',
        'reports.address',
        'reports.lat',
        'reports.lon',
        'reports.contact_name as contactName',
        'reports.contact_email as contactEmail',
        'reports.contact_phone as contactPhone',
        'reports.public_status as publicStatus',
        'reports.created_at as createdAt',
      ])
      .where('reports.account_id', '=', accountId)
      .orderBy('reports.created_at')
      .execute()
    const followed = await db
      .selectFrom('report_followers')
      .innerJoin('reports', 'reports.id', 'report_followers.report_id')
      .innerJoin('cases', 'cases.id', 'reports.case_id')
      .select(['cases.reference', 'report_followers.email', 'report_followers.created_at as since'])
      .where(followerOf(accountId))
      .orderBy('report_followers.created_at')
      .execute()
    return { data: { filed, followed } }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const followers = await trx.deleteFrom('report_followers').where(followerOf(accountId)).executeTakeFirst()
    const reports = await trx
      .updateTable('reports')
      .set({ account_id: null, contact_name: null, contact_email: null, contact_phone: null })
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    // The limiter counts by account too, for reports and for the contact form that shares it.
    const limits = await trx
      .deleteFrom('report_rate_limits')
      .where('client_key', 'in', [`account:${accountId}`, `contact:account:${accountId}`])
      .executeTakeFirst()
    return [
      { subjectType: 'rate-limit-window', outcome: 'deleted', count: Number(limits.numDeletedRows) },
      { subjectType: 'report-follower', outcome: 'deleted', count: Number(followers.numDeletedRows) },
      { subjectType: 'report', outcome: 'anonymised', count: Number(reports.numUpdatedRows) },
    ]
  },
}

/** Following by the account, or by its address typed in while signed out. */
function followerOf(accountId: string) {
  return sql<boolean>`(report_followers.account_id = ${accountId}::uuid or lower(report_followers.email) = (
    select lower(email) from accounts where id = ${accountId}::uuid))`
}
