import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { DeletionCount } from '../../platform/privacy/index.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { retentionEnd } from './cases.deadlines.js'
import { isFinalStatus } from './cases.workflow.js'
import { deleteCaseFiles } from '../efile/index.js'

/** A closed case whose retention period has ended; what the retention run needs to decide, nothing personal. */
interface ExpiredCase {
  id: string
  serviceId: string
  officeId: string
  /** The service (as defined now, or as when the case was made if it is gone) offers its cases to the archive. */
  archive: boolean
}

/**
 * What another module holds of a case and must forget (or detach) before the case row goes: rows whose foreign key
 * does not cascade (fee notices), bookings the treasury keeps (payments), the draft the case came from. Features sit
 * above the kernel, so the composition root passes these in (src/retention.ts).
 */
export interface CaseRecordHolder {
  id: string
  forgetCases(trx: Trx, caseIds: string[]): Promise<DeletionCount[]>
}

const PAGE = 500

/**
 * Closed cases whose retention has ended by `today` (a day in Dortmund, YYYY-MM-DD). A case in a state that is not
 * final never expires, whatever retain_until says (rows from before retention counted from closure: their end is
 * cleared). A closed case whose end was counted from an earlier point than its closure (the last transition) is moved
 * to the later end instead of being deleted. Read in pages, so cases waiting for the archive never hide others.
 */
export async function findExpiredCases(db: Db, services: ServiceRegistry, today: string): Promise<ExpiredCase[]> {
  const expired: ExpiredCase[] = []
  let after: { retainUntil: string; id: string } | undefined
  for (;;) {
    let query = db
      .selectFrom('cases')
      .select([
        'id',
        'service_id as serviceId',
        'service_version as serviceVersion',
        'office_id as officeId',
        'status',
        'retain_until as retainUntil',
        eb =>
          eb
            .selectFrom('case_events')
            .select(sql<Date>`max(at)`.as('at'))
            .whereRef('case_events.case_id', '=', 'cases.id')
            .where('kind', '=', 'transition')
            .as('closedAt'),
      ])
      .where('retain_until', '<', today)
      .orderBy('retain_until')
      .orderBy('id')
      .limit(PAGE)
    if (after) {
      const { retainUntil, id } = after
      query = query.where(eb => eb(eb.refTuple('retain_until', 'id'), '>', eb.tuple(retainUntil, id)))
    }
    const candidates = await query.execute()
    for (const c of candidates) {
      const definition = await services.version(c.serviceId, c.serviceVersion)
      if (!isFinalStatus(definition, c.status)) {
        await db.updateTable('cases').set({ retain_until: null }).where('id', '=', c.id).execute()
        continue
      }
      const fromClosure = c.closedAt ? retentionEnd(new Date(c.closedAt), definition.retention.years) : undefined
      if (fromClosure && fromClosure >= today) {
        await db.updateTable('cases').set({ retain_until: fromClosure }).where('id', '=', c.id).execute()
        continue
      }
      const archive = (services.find(c.serviceId) ?? definition).retention.archive === true
      expired.push({ id: c.id, serviceId: c.serviceId, officeId: c.officeId, archive })
    }
    const last = candidates.at(-1)
    if (candidates.length < PAGE || !last?.retainUntil) return expired
    after = { retainUntil: last.retainUntil, id: last.id }
  }
}

/**
 * Deletes expired cases with everything of them: the holders first (in the order given), then the case row, which
 * cascades to its timeline, answers, uploads and their bytes, e-file documents and versions, messages, involvements,
 * notice drafts, deadline alerts and defect reports. `today` tells the database's retention triggers the platform's
 * day (they refuse any case whose retention has not ended). Counts are of kinds only, for the deletion log.
 */
export async function deleteCases(
  trx: Trx,
  caseIds: string[],
  today: string,
  holders: CaseRecordHolder[],
): Promise<DeletionCount[]> {
  if (caseIds.length === 0) return []
  await sql`select set_config('bauhaus.retention_today', ${today}, true)`.execute(trx)
  const counts: DeletionCount[] = []
  for (const holder of holders) counts.push(...(await holder.forgetCases(trx, caseIds)))
  const files = await trx
    .selectFrom('files')
    .select([sql<string>`count(*)`.as('n'), sql<string>`coalesce(sum(size_bytes), 0)`.as('bytes')])
    .where('case_id', 'in', caseIds)
    .executeTakeFirstOrThrow()
  const countOf = async (table: 'case_events' | 'messages') =>
    Number(
      (
        await trx
          .selectFrom(table)
          .select(sql<string>`count(*)`.as('n'))
          .where('case_id', 'in', caseIds)
          .executeTakeFirstOrThrow()
      ).n,
    )
  const events = await countOf('case_events')
  const messages = await countOf('messages')
  const documents = await deleteCaseFiles(trx, caseIds)
  const deleted = await trx.deleteFrom('cases').where('id', 'in', caseIds).executeTakeFirst()
  counts.push(
    { subjectType: 'case', outcome: 'deleted', count: Number(deleted.numDeletedRows) },
    { subjectType: 'case-event', outcome: 'deleted', count: events },
    { subjectType: 'message', outcome: 'deleted', count: messages },
    { subjectType: 'efile-document', outcome: 'deleted', count: documents },
    { subjectType: 'file', outcome: 'deleted', count: Number(files.n), details: { bytes: Number(files.bytes) } },
  )
  return counts
}
