import type { Selectable } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { Database } from '../../platform/db/schema.js'

export type VideoCallRow = Selectable<Database['video_calls']>

export async function findCall(db: Db | Trx, bookingId: string): Promise<VideoCallRow | undefined> {
  return db.selectFrom('video_calls').selectAll().where('booking_id', '=', bookingId).executeTakeFirst()
}

/** The call of a booking under its row lock, made (not yet joined by anyone) when there is none. */
export async function lockCall(trx: Trx, bookingId: string, caseId: string | null): Promise<VideoCallRow> {
  await trx
    .insertInto('video_calls')
    .values({ booking_id: bookingId, case_id: caseId })
    .onConflict(oc => oc.column('booking_id').doNothing())
    .execute()
  return trx
    .selectFrom('video_calls')
    .selectAll()
    .where('booking_id', '=', bookingId)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export async function updateCall(
  trx: Trx,
  bookingId: string,
  change: Partial<Omit<VideoCallRow, 'booking_id'>>,
): Promise<VideoCallRow> {
  return trx
    .updateTable('video_calls')
    .set(change)
    .where('booking_id', '=', bookingId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The calls of some bookings, for the back office's list of the day. */
export async function callsOfBookings(db: Db, bookingIds: string[]): Promise<VideoCallRow[]> {
  if (bookingIds.length === 0) return []
  return db.selectFrom('video_calls').selectAll().where('booking_id', 'in', bookingIds).execute()
}

export async function insertSignal(
  db: Db | Trx,
  row: { id: string; bookingId: string; sender: 'person' | 'staff'; body: string; at: Date },
) {
  await db
    .insertInto('video_signals')
    .values({ id: row.id, booking_id: row.bookingId, sender: row.sender, body: row.body, created_at: row.at })
    .execute()
}

/** A stored message, for the stream of the call it belongs to only. */
export async function findSignal(db: Db, bookingId: string, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('video_signals')
    .select('body')
    .where('id', '=', id)
    .where('booking_id', '=', bookingId)
    .executeTakeFirst()
  return row?.body
}

export async function deleteSignalsOfCall(trx: Db | Trx, bookingId: string) {
  await trx.deleteFrom('video_signals').where('booking_id', '=', bookingId).execute()
}

export async function deleteSignalsBefore(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('video_signals').where('created_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
