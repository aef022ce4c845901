import type { Trx } from '../../platform/db/database.js'
import { addDays, dayInCity, endOfCityDay, nextWorkingDayFrom } from '../../platform/calendar/index.js'
import { hasOwedDocumentRequest } from '../postbox/index.js'
import { insertCaseEvent } from './cases.queries.js'

/** The office asked for documents: the processing deadline stands still from now (if it was not already). */
export async function stopDeadlineClock(trx: Trx, caseId: string): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ clock_stopped_at: new Date() })
    .where('id', '=', caseId)
    .where('clock_stopped_at', 'is', null)
    .where('due_at', 'is not', null)
    .execute()
}

/**
 * Documents arrived: once no request is left open, the deadline runs again, its end moved by the calendar days
 * it stood still (and on to a working day). Returns the new end, or null when the clock keeps standing.
 */
export async function restartDeadlineClock(trx: Trx, caseId: string, now = new Date()): Promise<Date | null> {
  const found = await trx
    .selectFrom('cases')
    .select(['due_at', 'clock_stopped_at'])
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst()
  if (!found?.clock_stopped_at || !found.due_at) return null
  if (await hasOwedDocumentRequest(trx, caseId)) return null
  const pausedDays = Math.round(
    (Date.parse(`${dayInCity(now)}T00:00:00Z`) -
      Date.parse(`${dayInCity(new Date(found.clock_stopped_at))}T00:00:00Z`)) /
      86_400_000,
  )
  const dueAt = endOfCityDay(nextWorkingDayFrom(addDays(dayInCity(new Date(found.due_at)), pausedDays)))
  await trx
    .updateTable('cases')
    .set({ due_at: dueAt, clock_stopped_at: null, next_alert: 'reminder' })
    .where('id', '=', caseId)
    .execute()
  await insertCaseEvent(trx, {
    caseId,
    kind: 'deadline_resumed',
    internal: false,
    data: { pausedDays, dueAt: dueAt.toISOString() },
  })
  return dueAt
}
