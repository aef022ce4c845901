import { sql } from 'kysely'
import type { Db } from '../../platform/db/database.js'

export const SEARCH_LIMIT = 50

export interface SearchRow {
  id: string
  reference: string
  serviceId: string
  serviceVersion: number
  officeId: string
  applicantName: string
  status: string
  submittedAt: Date
}

/** LIKE's own characters in a term are meant literally. */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, '\\$&')

const COLUMNS = sql`id, reference, service_id as "serviceId", service_version as "serviceVersion", office_id as "officeId",
  applicant_name as "applicantName", status, submitted_at as "submittedAt"`

/** Cases an office was asked to give a statement on by a request not withdrawn: readable by its caseworkers (findCaseAccess). */
const involvedCaseIds = (officeIds: string[]) =>
  sql`select case_id from case_involvements where office_id in (${sql.join(officeIds)}) and status <> 'withdrawn'`

/** The case with exactly this reference, if the person may read it (the unique index on reference). */
export async function findReadableByReference(
  db: Db,
  officeIds: string[],
  reference: string,
): Promise<SearchRow | undefined> {
  const result = await sql<SearchRow>`select ${COLUMNS} from cases where reference = ${reference}
    and (office_id in (${sql.join(officeIds)}) or id in (${involvedCaseIds(officeIds)}))`.execute(db)
  return result.rows[0]
}

/**
 * Newest first, the cases the person may read whose search text contains every term, folded in the database the
 * same way as the text (migration 0023), so both sides agree; one more row than shown tells that there are more.
 * One branch per office, each with its own limit: for a common name the planner walks the office's newest cases
 * (cases_inbox) until enough match, for a rare one it takes the trigram index; a single OR over all readable cases
 * would fetch every match in the city from the table first. The involved cases are few and come from their own list.
 */
export async function searchReadableCases(db: Db, officeIds: string[], terms: string[]): Promise<SearchRow[]> {
  const matches = sql.join(
    terms.map(term => sql`search_text like '%' || case_search_fold(${escapeLike(term)}) || '%'`),
    sql` and `,
  )
  const ordered = sql`order by "submittedAt" desc, id desc limit ${SEARCH_LIMIT + 1}`
  const branches = [
    ...officeIds.map(
      officeId => sql`(select ${COLUMNS} from cases where office_id = ${officeId} and ${matches} ${ordered})`,
    ),
    sql`(select ${COLUMNS} from cases where id in (${involvedCaseIds(officeIds)}) and office_id not in (${sql.join(officeIds)}) and ${matches})`,
  ]
  const result =
    await sql<SearchRow>`select * from (${sql.join(branches, sql` union all `)}) as found ${ordered}`.execute(db)
  return result.rows
}
