import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import {
  BookingNotFound,
  findBooking,
  findBookingByToken,
  type BookingRow,
  type Resource,
  type ResourceCatalogue,
} from '../booking/index.js'
import { canWorkOn } from '../cases/index.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A booking with a video desk, as one side of its call sees it. */
export interface VideoBooking {
  booking: BookingRow
  resource: Resource
}

/**
 * The booking's person: whoever holds the booking's manage link (its secret, checked against the stored hash) or
 * the signed-in account that booked. Anyone else, and any booking that is not at a video desk, gets the 404 of a
 * missing booking, so ids reveal nothing.
 */
export async function personsVideoBooking(
  db: Db,
  resources: ResourceCatalogue,
  bookingId: string,
  proof: { token?: string; accountId?: string },
): Promise<VideoBooking> {
  if (!UUID.test(bookingId)) throw new BookingNotFound()
  let booking: BookingRow | undefined
  if (proof.token) booking = await findBookingByToken(db, bookingId, proof.token)
  else {
    booking = await findBooking(db, bookingId)
    if (!booking || !proof.accountId || booking.account_id !== proof.accountId) throw new BookingNotFound()
  }
  return videoDesk(resources, booking)
}

/** The booking for a member of staff who works on cases of the video desk's office; 404 for everyone else. */
export async function staffsVideoBooking(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  bookingId: string,
): Promise<VideoBooking> {
  if (!UUID.test(bookingId)) throw new BookingNotFound()
  const found = videoDesk(resources, await findBooking(db, bookingId))
  if (!canWorkOn(staff, found.resource.office)) throw new BookingNotFound()
  return found
}

function videoDesk(resources: ResourceCatalogue, booking: BookingRow | undefined): VideoBooking {
  const resource = booking && resources.get(booking.resource_id)
  if (!booking || resource?.kind !== 'video') throw new BookingNotFound()
  return { booking, resource }
}

/** The video desks whose calls a member of staff may open: those of the offices they work on cases in. */
export function videoDesksOf(resources: ResourceCatalogue, staff: StaffMember): Resource[] {
  return resources.ofKind('video').filter(r => canWorkOn(staff, r.office))
}
