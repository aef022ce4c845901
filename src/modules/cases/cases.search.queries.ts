import { sql, type ExpressionBuilder } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import type { Database } from '../../platform/db/schema.js'

export const SEARCH_LIMIT = 50

export interface SearchRow {
  id: string; reference: string; serviceId: string; serviceVersion: number; officeId: string
  applicantName: string; status: string; submittedAt: Date
}

/** LIKE's own characters in a term are meant literally. */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, '\\$&')

/**
 * The cases the person may read (see findCaseAccess): their offices' own, and those their offices were asked to give
 * a statement on by a request not withdrawn. The second is a hashed list of the few involved cases, not a probe per row.
 */
function readableBy(officeIds: string[]) {
  return (eb: ExpressionBuilder<Database, 'cases'>) => eb.or([
    eb('cases.office_id', 'in', officeIds),
    eb('cases.id', 'in', eb.selectFrom('case_involvements').select('case_id')
      .where('office_id', 'in', officeIds).where('status', '!=', 'withdrawn')),
  ])
}

const columns = ['cases.id', 'cases.reference', 'cases.service_id as serviceId', 'cases.service_version as serviceVersion',
  'cases.office_id as officeId', 'cases.applicant_name as applicantName', 'cases.status', 'cases.submitted_at as submittedAt'] as const

/** The case with exactly this reference, if the person may read it (the unique index on reference). */
export function findReadableByReference(db: Db, officeIds: string[], reference: string): Promise<SearchRow | undefined> {
  return db.selectFrom('cases').select(columns).where('cases.reference', '=', reference).where(readableBy(officeIds)).executeTakeFirst()
}

/**
 * Newest first, the readable cases whose search text contains every term, folded in the database the same way as the
 * text (migration 0023), so both sides agree; one more row than shown tells that there are more.
 */
export function searchReadableCases(db: Db, officeIds: string[], terms: string[]): Promise<SearchRow[]> {
  let query = db.selectFrom('cases').select(columns).where(readableBy(officeIds))
  for (const term of terms) {
    query = query.where(sql<boolean>`cases.search_text like '%' || case_search_fold(${escapeLike(term)}) || '%'`)
  }
  return query.orderBy('cases.submitted_at', 'desc').orderBy('cases.id', 'desc').limit(SEARCH_LIMIT + 1).execute()
}
