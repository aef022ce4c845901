import type { Selectable } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { Database } from '../../platform/db/schema.js'
import type { Resource } from './booking.resources.js'

export type BookingRow = Selectable<Database['bookings']>

export async function findBooking(db: Db | Trx, bookingId: string): Promise<BookingRow | undefined> {
  return db.selectFrom('bookings').selectAll().where('id', '=', bookingId).executeTakeFirst()
}

/** The live and past bookings of an account, newest start first. */
export async function bookingsOfAccount(db: Db, accountId: string): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('starts_at', 'desc')
    .execute()
}

/** The bookings of a resource starting in [from, to), cancelled ones too, in start order. */
export async function bookingsOfResource(db: Db, resourceId: string, from: Date, to: Date): Promise<BookingRow[]> {
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .execute()
}

/** The bookings made for a case (an application that ended by booking). */
export async function bookingsOfCase(db: Db, caseId: string): Promise<BookingRow[]> {
  return db.selectFrom('bookings').selectAll().where('case_id', '=', caseId).orderBy('starts_at').execute()
}

/** Resources as last synced from services/_resources.yaml, for code that gets no ResourceCatalogue (a case section). */
export async function storedResources(db: Db | Trx, ids: readonly string[]): Promise<Resource[]> {
  if (!ids.length) return []
  const rows = await db.selectFrom('booking_resources').select('definition').where('id', 'in', ids).execute()
  return rows.map(r => (typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition) as Resource)
}
