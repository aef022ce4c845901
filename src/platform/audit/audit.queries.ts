import { sql } from 'kysely'
import type { Db } from '../db/database.js'

export const AUDIT_PAGE_SIZE = 50

export interface AuditFilter {
  /** Offices whose entries may be shown; null: all, including entries of no office (platform admins). */
  officeIds: string[] | null
  action?: string
  /** A subject id; entries about a file or message of a case name the case in details.caseId. */
  subjectId?: string
  /** Staff e-mail of the actor, lower case. */
  actorEmail?: string
  /** Calendar days in Germany, YYYY-MM-DD, both inclusive. */
  from?: string
  to?: string
}

export interface AuditRow {
  id: number
  at: Date
  action: string
  subjectType: string
  subjectId: string
  officeId: string | null
  details: Record<string, unknown>
  actorStaffId: string | null
  actorAccountId: string | null
  actorName: string | null
  actorEmail: string | null
}

/**
 * One page of the audit log, newest first, one row more than a page to tell whether another follows.
 * Keyset on the id, not OFFSET. The actor's name comes from staff: the log is cross-cutting and
 * names people of every module, so it reads their tables directly.
 */
export function listAuditPage(db: Db, filter: AuditFilter, afterId?: number): Promise<AuditRow[]> {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('staff', 'staff.id', 'audit_log.actor_staff_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.action',
      'audit_log.subject_type as subjectType',
      'audit_log.subject_id as subjectId',
      'audit_log.office_id as officeId',
      'audit_log.details',
      'audit_log.actor_staff_id as actorStaffId',
      'audit_log.actor_account_id as actorAccountId',
      'staff.name as actorName',
      'staff.email as actorEmail',
    ])
    .orderBy('audit_log.id', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1)
  if (filter.officeIds) {
    if (filter.officeIds.length === 0) return Promise.resolve([])
    query = query.where('audit_log.office_id', 'in', filter.officeIds)
  }
  if (filter.action) query = query.where('audit_log.action', '=', filter.action)
  const subjectId = filter.subjectId
  if (subjectId) {
    query = query.where(eb =>
      eb.or([
        eb('audit_log.subject_id', '=', subjectId),
        eb(sql<string>`audit_log.details->>'caseId'`, '=', subjectId),
      ]),
    )
  }
  if (filter.actorEmail) query = query.where('staff.email', '=', filter.actorEmail)
  // Days as a person in Dortmund means them, whatever the server's time zone.
  if (filter.from)
    query = query.where('audit_log.at', '>=', sql<Date>`(${filter.from}::date)::timestamp at time zone 'Europe/Berlin'`)
  if (filter.to)
    query = query.where(
      'audit_log.at',
      '<',
      sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Europe/Berlin'`,
    )
  if (afterId) query = query.where('audit_log.id', '<', afterId)
  return query.execute()
}
