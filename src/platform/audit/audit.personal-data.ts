import { sql } from 'kysely'
import type { Db, Trx } from '../db/database.js'
import type { PersonalDataHolder } from '../privacy/index.js'

/**
 * The audit log's part of "Meine Daten": what the person did, what was done to their account, and who (which office)
 * read or changed their cases, messages and files. Like listAuditPage, the log is cross-cutting and finds the
 * person's cases by reading their tables directly. Staff are named by office, not by name (Art. 15 (1) c: recipients).
 */
export const auditHolder: PersonalDataHolder = {
  id: 'audit',
  async exportFor(db: Db, accountId: string) {
    // Compared as text: subject ids of other kinds are no uuids, and SQL does not promise to test the kind first.
    const caseIds = db.selectFrom('cases').select(sql<string>`id::text`.as('id')).where('account_id', '=', accountId)
    const rows = await db
      .selectFrom('audit_log')
      .select([
        'at',
        'action',
        'subject_type as subjectType',
        'office_id as officeId',
        sql<boolean>`actor_account_id is not distinct from ${accountId}::uuid`.as('byYou'),
        sql<boolean>`actor_staff_id is not null`.as('byStaff'),
      ])
      .where(eb =>
        eb.or([
          eb('actor_account_id', '=', accountId),
          eb.and([eb('subject_type', '=', 'account'), eb('subject_id', '=', accountId)]),
          eb.and([eb('subject_type', '=', 'case'), eb('subject_id', 'in', caseIds)]),
          eb(sql<string>`details->>'caseId'`, 'in', caseIds),
        ]),
      )
      .orderBy('id')
      .execute()
    return { data: rows }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const deleted = await trx
      .deleteFrom('audit_log')
      .where('subject_type', '=', 'account')
      .where('subject_id', '=', accountId)
      .executeTakeFirst()
    // What the person did on a case stays on record for the case, without naming the person's account.
    const anonymised = await trx
      .updateTable('audit_log')
      .set({ actor_account_id: null })
      .where('actor_account_id', '=', accountId)
      .executeTakeFirst()
    return [
      { subjectType: 'audit', outcome: 'deleted', count: Number(deleted.numDeletedRows) },
      { subjectType: 'audit', outcome: 'anonymised', count: Number(anonymised.numUpdatedRows) },
    ]
  },
}
