import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { BookingStatus } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { addDays, type IsoDay } from '../../platform/calendar/index.js'
import { unitsOf, type Resource, type ResourceCatalogue } from './booking.resources.js'
import { cityInstant, type Slot } from './booking.slots.js'
import { cancelBooking, freeSlots, moveBooking } from './booking.service.js'
import { bookingsOfResource, findBooking, type BookingRow } from './booking.queries.js'
import { BookingNotActive, BookingNotFound, ResourceNotFound } from './booking.errors.js'
import { AttendanceNotPossible, BlockNotFree, type InTheWay } from './booking.staff.errors.js'
import { messageThePerson } from './booking.staff.message.js'

/**
 * What a staff member may do at a resource: caseworkers and team leads of its office run its calendar (blocks,
 * moves, cancellations, feeds); the counter role of the office sees the calendar and works today's list.
 */
export type StaffReach = 'calendar' | 'counter'

export function reachAt(staff: StaffMember, resource: Resource): StaffReach | undefined {
  const roles = staff.roles.filter(r => r.officeId === resource.office).map(r => r.role)
  if (roles.includes('caseworker') || roles.includes('team_lead')) return 'calendar'
  if (roles.includes('counter')) return 'counter'
  return undefined
}

/** The resources a staff member's offices book, in the file's order. */
export function resourcesOfStaff(resources: ResourceCatalogue, staff: StaffMember): Resource[] {
  return resources.all.filter(r => reachAt(staff, r))
}

/** A resource the staff member may see; another office's answers like a missing one. */
export function staffResource(
  resources: ResourceCatalogue,
  staff: StaffMember,
  resourceId: string,
  needs: StaffReach = 'counter',
): Resource {
  const resource = resources.get(resourceId)
  const reach = resource && reachAt(staff, resource)
  if (!resource || !reach || (needs === 'calendar' && reach !== 'calendar')) throw new ResourceNotFound()
  return resource
}

/** A booking the staff member may see, with its resource; another office's answers like a missing one. */
export async function staffBooking(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  bookingId: string,
  needs: StaffReach = 'counter',
): Promise<{ booking: BookingRow; resource: Resource }> {
  const booking = await findBooking(db, bookingId)
  const resource = booking && resources.get(booking.resource_id)
  const reach = resource && reachAt(staff, resource)
  if (!booking || !resource || !reach || (needs === 'calendar' && reach !== 'calendar')) throw new BookingNotFound()
  return { booking, resource }
}

/** One row of a day in the staff calendar: a booking (or block), or a stretch of free times. */
export type CalendarEntry =
  | { kind: 'booking'; booking: BookingRow }
  | { kind: 'free'; start: Date; end: Date; freeUnits: string[]; freeCount: number }

export interface CalendarDay {
  day: IsoDay
  entries: CalendarEntry[]
}

/**
 * The bookings and free times of a resource for some days, for staff: every booking (cancelled ones too, so the
 * counter can answer "was I booked?") and the free times merged into stretches. Reading names is audited.
 */
export async function staffCalendar(
  db: Db,
  resource: Resource,
  staff: StaffMember,
  days: { from: IsoDay; count: number },
  now: Date,
): Promise<CalendarDay[]> {
  const to = addDays(days.from, days.count - 1)
  const from = cityInstant(days.from, 0) ?? new Date(`${days.from}T00:00:00Z`)
  const until = cityInstant(addDays(to, 1), 0) ?? new Date(`${addDays(to, 1)}T00:00:00Z`)
  const [bookings, slots] = await Promise.all([
    bookingsOfResource(db, resource.id, from, until),
    freeSlots(db, resource, {
      from: days.from,
      to,
      minutes: resource.rules.slotMinutes,
      now,
      ignoreBookingWindow: true,
    }),
  ])
  await audit(db, {
    actor: { staffId: staff.id },
    action: 'booking.read',
    subjectType: 'booking_resource',
    subjectId: resource.id,
    officeId: resource.office,
    details: { from: days.from, to, bookings: bookings.length },
  })
  const result: CalendarDay[] = []
  for (let i = 0; i < days.count; i++) {
    const day = addDays(days.from, i)
    const dayStart = cityInstant(day, 0)?.getTime() ?? 0
    const dayEnd = cityInstant(addDays(day, 1), 0)?.getTime() ?? 0
    const inDay = (d: Date) => d.getTime() >= dayStart && d.getTime() < dayEnd
    const entries: CalendarEntry[] = [
      ...bookings.filter(b => inDay(b.starts_at)).map(booking => ({ kind: 'booking' as const, booking })),
      ...mergeFree(
        slots.filter(s => inDay(s.start)),
        !!resource.parts,
      ),
    ]
    entries.sort((a, b) => startOf(a) - startOf(b) || (a.kind === 'free' ? 1 : -1))
    result.push({ day, entries })
  }
  return result
}

const startOf = (e: CalendarEntry) => (e.kind === 'booking' ? e.booking.starts_at : e.start).getTime()

/**
 * Consecutive free slots become one stretch ("08:00–12:30 free: at least 3 of 4 desks"): for desks the fewest free
 * at any moment of it; a hall's stretches change where its free parts change.
 */
function mergeFree(slots: Slot[], byParts: boolean): CalendarEntry[] {
  const stretches: Extract<CalendarEntry, { kind: 'free' }>[] = []
  for (const slot of slots) {
    const last = stretches.at(-1)
    const sameParts = !byParts || last?.freeUnits.join() === slot.freeUnits.join()
    if (last && sameParts && last.end.getTime() >= slot.start.getTime()) {
      last.end = new Date(Math.max(last.end.getTime(), slot.end.getTime()))
      last.freeUnits = last.freeUnits.filter(u => slot.freeUnits.includes(u))
      last.freeCount = Math.min(last.freeCount, slot.freeUnits.length)
    } else
      stretches.push({
        kind: 'free',
        start: slot.start,
        end: slot.end,
        freeUnits: slot.freeUnits,
        freeCount: slot.freeUnits.length,
      })
  }
  return stretches
}

/** The person's appointments of a day at the counter's resource, in start order (blocks left out). */
export async function counterList(db: Db, resource: Resource, staff: StaffMember, day: IsoDay): Promise<BookingRow[]> {
  const from = cityInstant(day, 0) ?? new Date(`${day}T00:00:00Z`)
  const until = cityInstant(addDays(day, 1), 0) ?? new Date(`${addDays(day, 1)}T00:00:00Z`)
  const bookings = (await bookingsOfResource(db, resource.id, from, until)).filter(b => b.purpose !== 'block')
  await audit(db, {
    actor: { staffId: staff.id },
    action: 'booking.read',
    subjectType: 'booking_resource',
    subjectId: resource.id,
    officeId: resource.office,
    details: { day, counter: true, bookings: bookings.length },
  })
  return bookings
}

/** Reading one booking with the person's contact details, audited. */
export async function readStaffBooking(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  bookingId: string,
): Promise<{ booking: BookingRow; resource: Resource }> {
  const found = await staffBooking(db, resources, staff, bookingId)
  await audit(db, {
    actor: { staffId: staff.id },
    action: 'booking.read',
    subjectType: 'booking',
    subjectId: bookingId,
    officeId: found.resource.office,
  })
  return found
}

export type Attendance = Extract<BookingStatus, 'checked_in' | 'no_show' | 'done'>

/**
 * The counter marks who came: checked in (arrived, waiting), no-show (only once the start has passed: before it the
 * person may still come), done (served). A checked-in person can still be marked done; a marking can be undone to
 * "booked" only by marking again, so mistakes at the counter are fixed in one click.
 */
export async function markAttendance(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  bookingId: string,
  status: Attendance,
  now: Date,
): Promise<BookingRow> {
  const { resource } = await staffBooking(db, resources, staff, bookingId)
  return db.transaction().execute(async trx => {
    const booking = await lockBooking(trx, bookingId)
    if (booking.purpose === 'block') throw new AttendanceNotPossible('block')
    if (booking.status === 'cancelled') throw new BookingNotActive()
    const allowed: Record<Attendance, BookingStatus[]> = {
      checked_in: ['booked', 'no_show'],
      no_show: ['booked'],
      done: ['booked', 'checked_in'],
    }
    if (!allowed[status].includes(booking.status)) throw new AttendanceNotPossible(`from.${booking.status}`)
    if (status === 'no_show' && now.getTime() < booking.starts_at.getTime())
      throw new AttendanceNotPossible('notStarted')
    const updated = await trx
      .updateTable('bookings')
      .set({ status, checked_in_at: status === 'checked_in' ? now : booking.checked_in_at })
      .where('id', '=', bookingId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'booking.attendance',
      subjectType: 'booking',
      subjectId: bookingId,
      officeId: resource.office,
      details: { from: booking.status, to: status },
    })
    return updated
  })
}

async function lockBooking(trx: Trx, bookingId: string): Promise<BookingRow> {
  const booking = await trx
    .selectFrom('bookings')
    .selectAll()
    .where('id', '=', bookingId)
    .forUpdate()
    .executeTakeFirst()
  if (!booking) throw new BookingNotFound()
  return booking
}

/**
 * Blocks a time at a resource (all its desks or parts: a staff meeting, a broken door): refused as a whole, listing
 * the bookings in the way, when any live booking overlaps; staff move or cancel those first (each with a message to
 * the person), so nobody loses an appointment without being told.
 */
export async function blockTime(
  db: Db,
  resource: Resource,
  staff: StaffMember,
  block: { start: Date; end: Date; reason: string },
  now: Date,
): Promise<BookingRow> {
  const units = unitsOf(resource)
  const during = `[${block.start.toISOString()},${block.end.toISOString()})`
  const inTheWay = async (handle: Db | Trx) =>
    (
      await sql<InTheWay>`
      select distinct b.id, b.reference, b.starts_at as start, b.ends_at as "end" from booking_occupancy o
      join bookings b on b.id = o.booking_id
      where o.resource_id = ${resource.id} and o.during && ${during}::tstzrange
      order by b.starts_at`.execute(handle)
    ).rows.map(r => ({ ...r, start: new Date(r.start), end: new Date(r.end) }))
  const blocking = await inTheWay(db)
  if (blocking.length) throw new BlockNotFree(blocking)
  try {
    return await db.transaction().execute(async trx => {
      const row = await trx
        .insertInto('bookings')
        .values({
          id: crypto.randomUUID(),
          reference: `S-${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
          resource_id: resource.id,
          purpose: 'block',
          starts_at: block.start,
          ends_at: block.end,
          units,
          note: block.reason,
          booked_by: staff.id,
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      for (const unit of units) {
        const held = await sql<{ unit: string }>`
          insert into booking_occupancy (booking_id, resource_id, unit, during)
          values (${row.id}, ${resource.id}, ${unit}, ${during}::tstzrange)
          on conflict do nothing returning unit`.execute(trx)
        if (!held.rows.length) throw new BlockNotFree([])
      }
      await audit(trx, {
        actor: { staffId: staff.id },
        action: 'booking.block',
        subjectType: 'booking',
        subjectId: row.id,
        officeId: resource.office,
        details: { resource: resource.id, from: block.start.toISOString(), to: block.end.toISOString() },
      })
      return row
    })
  } catch (error) {
    // Someone booked between the check and the insert: the refusal names them too.
    if (error instanceof BlockNotFree && !error.inTheWay.length) throw new BlockNotFree(await inTheWay(db))
    throw error
  }
}

/** Removes a block: its time is offered again. */
export async function removeBlock(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  bookingId: string,
  now: Date,
): Promise<BookingRow> {
  const { booking } = await staffBooking(db, resources, staff, bookingId, 'calendar')
  if (booking.purpose !== 'block') throw new BookingNotFound()
  return cancelBooking(
    db,
    resources,
    bookingId,
    { actor: { staffId: staff.id }, asStaff: true, reason: 'unblock' },
    now,
  )
}

/**
 * Staff move an appointment to another time (or another resource of the office of the same kind), past the rules'
 * lead time and horizon, and the person is told: by e-mail, and in the postbox when the booking belongs to a case.
 */
export async function moveByStaff(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  bookingId: string,
  to: { start: Date; resourceId: string; note: string },
  now: Date,
  baseUrl: string,
): Promise<BookingRow> {
  const { booking, resource } = await staffBooking(db, resources, staff, bookingId, 'calendar')
  if (booking.purpose === 'block') throw new BookingNotFound()
  const target = staffResource(resources, staff, to.resourceId, 'calendar')
  if (target.kind !== resource.kind || target.office !== resource.office) throw new ResourceNotFound()
  const moved = await moveBooking(
    db,
    resources,
    bookingId,
    { start: to.start, resourceId: target.id },
    { actor: { staffId: staff.id }, asStaff: true },
    now,
  )
  await db
    .transaction()
    .execute(trx =>
      messageThePerson(trx, { booking: moved, resource: target, staff, kind: 'moved', note: to.note, baseUrl }),
    )
  return moved
}

/** Staff cancel an appointment with a reason the person reads (by e-mail, and in the postbox with a case). */
export async function cancelByStaff(
  db: Db,
  resources: ResourceCatalogue,
  staff: StaffMember,
  bookingId: string,
  reason: string,
  now: Date,
  baseUrl: string,
): Promise<BookingRow> {
  const { booking, resource } = await staffBooking(db, resources, staff, bookingId, 'calendar')
  if (booking.purpose === 'block') throw new BookingNotFound()
  const cancelled = await cancelBooking(
    db,
    resources,
    bookingId,
    { actor: { staffId: staff.id }, asStaff: true, reason },
    now,
  )
  await db
    .transaction()
    .execute(trx =>
      messageThePerson(trx, { booking: cancelled, resource, staff, kind: 'cancelled', note: reason, baseUrl }),
    )
  return cancelled
}
