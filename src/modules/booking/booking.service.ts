import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { BookingPurpose } from '../../platform/db/schema.js'
import { addDays, dayInCity, type IsoDay } from '../../platform/calendar/index.js'
import { audit, type Actor } from '../../platform/audit/audit.js'
import { hasParts, unitsOf, type Resource, type ResourceCatalogue } from './booking.resources.js'
import { bookingWindow, deriveSlots, isOfferedTime, type Occupied, type Slot } from './booking.slots.js'
import {
  BookingNotActive,
  BookingNotFound,
  ResourceNotFound,
  TimeJustTaken,
  TimeNotOffered,
  TooLateToChange,
} from './booking.errors.js'
import { findBooking, type BookingRow } from './booking.queries.js'

const MINUTE = 60_000

/** The times held at a resource that overlap [from, to). */
export async function occupiedBetween(db: Db | Trx, resourceId: string, from: Date, to: Date): Promise<Occupied[]> {
  const rows = await sql<{ unit: string; from: Date; to: Date }>`
    select unit, lower(during) as "from", upper(during) as "to" from booking_occupancy
    where resource_id = ${resourceId} and during && tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)`.execute(
    db,
  )
  return rows.rows.map(r => ({ unit: r.unit, from: new Date(r.from), to: new Date(r.to) }))
}

/** The free times of a resource between two city days (both included) for a booking of `minutes`. */
export async function freeSlots(
  db: Db | Trx,
  resource: Resource,
  query: { from: IsoDay; to: IsoDay; minutes: number; now: Date; parts?: string[]; ignoreBookingWindow?: boolean },
): Promise<Slot[]> {
  const occupied = await occupiedBetween(
    db,
    resource.id,
    new Date(Date.parse(`${query.from}T00:00:00Z`) - 86_400_000),
    new Date(Date.parse(`${addDays(query.to, 1)}T00:00:00Z`) + 86_400_000),
  )
  return deriveSlots(resource, { ...query, occupied })
}

/** The next free times after a moment, for the "just taken" page and the waiting list: up to `count`, within 14 days. */
export async function nextFreeSlots(
  db: Db | Trx,
  resource: Resource,
  query: { after: Date; minutes: number; now: Date; parts?: string[]; count?: number },
): Promise<Slot[]> {
  const from = dayInCity(query.after)
  const slots = await freeSlots(db, resource, {
    from,
    to: addDays(from, 14),
    minutes: query.minutes,
    now: query.now,
    parts: query.parts,
  })
  return slots.filter(s => s.start.getTime() > query.after.getTime()).slice(0, query.count ?? 5)
}

export interface BookingRequest {
  resourceId: string
  purpose: BookingPurpose
  start: Date
  minutes: number
  /** A hall's parts wanted together; a counter gives any free desk. */
  parts?: string[]
  concern?: string
  serviceId?: string
  caseId?: string
  accountId?: string
  person?: { name: string; email: string; phone?: string }
  locale?: string
  note?: string
  /** Staff booking for someone (a move, a block, the counter): the lead time and horizon do not apply to them. */
  bookedBy?: string
  seriesId?: string
  feeCents?: number
}

export interface NewBooking {
  booking: BookingRow
  /** The secret of the link that manages the booking without an account; shown once, stored hashed. */
  manageToken: string
}

/**
 * Checks a request against the resource's rules (each breach its own message), then holds the time. Exactly the
 * free units can be taken, whatever runs at the same moment: each unit's row goes in with ON CONFLICT DO NOTHING
 * against the exclusion constraint, so a concurrent holder of the same unit makes this one try the next unit,
 * and when none is left everything is rolled back and the person gets the next free times.
 */
export async function reserve(
  db: Db,
  resources: ResourceCatalogue,
  request: BookingRequest,
  now: Date,
  actor: Actor = {},
): Promise<NewBooking> {
  const resource = resources.get(request.resourceId)
  if (!resource) throw new ResourceNotFound()
  const parts = checkRequest(resource, request, now)
  const manageToken = crypto.randomBytes(24).toString('base64url')
  try {
    const booking = await db.transaction().execute(async trx => {
      const booking = await insertBooking(trx, resource, request, [], manageToken, now)
      const units = await holdUnits(trx, resource, booking.id, request.start, request.minutes, parts)
      if (!units) throw new TimeJustTaken([])
      const held = await trx
        .updateTable('bookings')
        .set({ units })
        .where('id', '=', booking.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      await audit(trx, {
        actor: { staffId: request.bookedBy ?? actor.staffId, accountId: actor.accountId ?? request.accountId },
        action: 'booking.create',
        subjectType: 'booking',
        subjectId: booking.id,
        officeId: resource.office,
        details: { resource: resource.id, purpose: request.purpose, start: request.start.toISOString() },
      })
      return held
    })
    return { booking, manageToken }
  } catch (error) {
    if (error instanceof TimeJustTaken)
      throw new TimeJustTaken(
        await nextFreeSlots(db, resource, {
          after: request.start,
          minutes: request.minutes,
          now,
          parts: request.parts,
        }),
      )
    throw error
  }
}

/** The parts a request holds (validated), or undefined for "any free unit". Throws the rule it breaks. */
function checkRequest(resource: Resource, request: BookingRequest, now: Date): string[] | undefined {
  const { rules } = resource
  const staff = !!request.bookedBy
  if (request.concern !== undefined && !resource.concerns?.some(c => c.id === request.concern))
    throw new TimeNotOffered('unknownConcern')
  if (rules.minMinutes !== undefined && request.minutes < rules.minMinutes)
    throw new TimeNotOffered('tooShort', { minutes: rules.minMinutes })
  if (rules.maxMinutes !== undefined && request.minutes > rules.maxMinutes)
    throw new TimeNotOffered('tooLong', { minutes: rules.maxMinutes })
  if (request.minutes % rules.slotMinutes !== 0 && rules.maxMinutes !== undefined)
    throw new TimeNotOffered('outsideHours')
  if (!staff) {
    const { earliest, latest } = bookingWindow(resource, now)
    if (request.start.getTime() < now.getTime()) throw new TimeNotOffered('inPast')
    if (request.start < earliest) throw new TimeNotOffered('tooSoon', { minutes: rules.minLeadMinutes ?? 0 })
    if (request.start > latest) throw new TimeNotOffered('tooFarAhead', { days: rules.horizonDays })
  }
  if (!isOfferedTime(resource, request.start, request.minutes, now, true)) throw new TimeNotOffered('outsideHours')
  if (!hasParts(resource)) return undefined
  const parts = request.parts?.length ? [...new Set(request.parts)] : unitsOf(resource)
  if (parts.some(p => !resource.parts?.some(known => known.id === p))) throw new TimeNotOffered('unknownPart')
  return parts
}

async function insertBooking(
  trx: Trx,
  resource: Resource,
  request: BookingRequest,
  units: string[],
  manageToken: string,
  now: Date,
): Promise<BookingRow> {
  return trx
    .insertInto('bookings')
    .values({
      id: crypto.randomUUID(),
      reference: newReference(),
      resource_id: resource.id,
      purpose: request.purpose,
      starts_at: request.start,
      ends_at: new Date(request.start.getTime() + request.minutes * MINUTE),
      units,
      concern: request.concern ?? null,
      service_id: request.serviceId ?? null,
      case_id: request.caseId ?? null,
      account_id: request.accountId ?? null,
      person_name: request.person?.name ?? null,
      person_email: request.person?.email ?? null,
      person_phone: request.person?.phone ?? null,
      locale: request.locale ?? 'de',
      manage_token_hash: hashToken(manageToken),
      note: request.note ?? null,
      booked_by: request.bookedBy ?? null,
      created_at: now,
      series_id: request.seriesId ?? null,
      fee_cents: request.feeCents ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Holds the units for [start, start + minutes + buffer): all the parts named, or the first free unit. Returns the
 * units held, or null when the time is taken (the caller rolls back).
 */
async function holdUnits(
  trx: Trx,
  resource: Resource,
  bookingId: string,
  start: Date,
  minutes: number,
  parts: string[] | undefined,
): Promise<string[] | null> {
  const heldUntil = new Date(start.getTime() + (minutes + (resource.rules.bufferMinutes ?? 0)) * MINUTE)
  const during = `[${start.toISOString()},${heldUntil.toISOString()})`
  const tryUnit = async (unit: string) =>
    !!(
      await sql<{ unit: string }>`
      insert into booking_occupancy (booking_id, resource_id, unit, during)
      values (${bookingId}, ${resource.id}, ${unit}, ${during}::tstzrange)
      on conflict do nothing returning unit`.execute(trx)
    ).rows.length
  if (parts) {
    for (const part of parts) if (!(await tryUnit(part))) return null
    return parts
  }
  // Free desks first (read without locking), then the rest: under a race the constraint has the last word.
  const occupied = await occupiedBetween(trx, resource.id, start, heldUntil)
  const busy = new Set(occupied.map(o => o.unit))
  const units = unitsOf(resource)
  for (const unit of [...units.filter(u => !busy.has(u)), ...units.filter(u => busy.has(u))])
    if (await tryUnit(unit)) return [unit]
  return null
}

/**
 * Cancels a live booking and frees its time. A person (not staff) may do so only until the rules' deadline.
 * Returns the booking as it was, so the caller can offer the freed time to the waiting list.
 */
export async function cancelBooking(
  db: Db,
  resources: ResourceCatalogue,
  bookingId: string,
  by: { actor: Actor; asStaff: boolean; reason?: string },
  now: Date,
): Promise<BookingRow> {
  return db.transaction().execute(async trx => {
    const booking = await lockBooking(trx, bookingId)
    if (booking.status !== 'booked') throw new BookingNotActive()
    const resource = resources.get(booking.resource_id)
    if (!by.asStaff) ensureChangeable(resource, booking, now)
    await trx.deleteFrom('booking_occupancy').where('booking_id', '=', bookingId).execute()
    const cancelled = await trx
      .updateTable('bookings')
      .set({ status: 'cancelled', cancelled_at: now, cancel_reason: by.reason ?? null, sequence: sql`sequence + 1` })
      .where('id', '=', bookingId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit(trx, {
      actor: by.actor,
      action: 'booking.cancel',
      subjectType: 'booking',
      subjectId: bookingId,
      officeId: resource?.office ?? null,
    })
    return cancelled
  })
}

/**
 * Moves a live booking to another start (same length and units kind): the person rebooking (within the rules) or
 * staff moving an appointment. The old time is freed and the new one held in one transaction; a taken time leaves
 * the booking where it was.
 */
export async function moveBooking(
  db: Db,
  resources: ResourceCatalogue,
  bookingId: string,
  to: { start: Date; resourceId?: string },
  by: { actor: Actor; asStaff: boolean },
  now: Date,
): Promise<BookingRow> {
  const before = await findBooking(db, bookingId)
  if (!before) throw new BookingNotFound()
  const resource = resources.get(to.resourceId ?? before.resource_id)
  if (!resource) throw new ResourceNotFound()
  const minutes = (before.ends_at.getTime() - before.starts_at.getTime()) / MINUTE
  const parts = checkRequest(
    resource,
    {
      resourceId: resource.id,
      purpose: before.purpose,
      start: to.start,
      minutes,
      parts: hasParts(resource) ? before.units : undefined,
      bookedBy: by.asStaff ? (by.actor.staffId ?? 'staff') : undefined,
    },
    now,
  )
  try {
    return await db.transaction().execute(async trx => {
      const booking = await lockBooking(trx, bookingId)
      if (booking.status !== 'booked') throw new BookingNotActive()
      if (!by.asStaff) ensureChangeable(resources.get(booking.resource_id), booking, now)
      await trx.deleteFrom('booking_occupancy').where('booking_id', '=', bookingId).execute()
      const units = await holdUnits(trx, resource, bookingId, to.start, minutes, parts)
      if (!units) throw new TimeJustTaken([])
      const moved = await trx
        .updateTable('bookings')
        .set({
          resource_id: resource.id,
          starts_at: to.start,
          ends_at: new Date(to.start.getTime() + minutes * MINUTE),
          units,
          reminded_at: null,
          sequence: sql`sequence + 1`,
        })
        .where('id', '=', bookingId)
        .returningAll()
        .executeTakeFirstOrThrow()
      await audit(trx, {
        actor: by.actor,
        action: 'booking.move',
        subjectType: 'booking',
        subjectId: bookingId,
        officeId: resource.office,
        details: { from: booking.starts_at.toISOString(), to: to.start.toISOString() },
      })
      return moved
    })
  } catch (error) {
    if (error instanceof TimeJustTaken)
      throw new TimeJustTaken(await nextFreeSlots(db, resource, { after: to.start, minutes, now, parts }))
    throw error
  }
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

/** The last moment a person may cancel or rebook, by the resource's rules. */
export function changeableUntil(resource: Resource | undefined, booking: Pick<BookingRow, 'starts_at'>): Date {
  return new Date(booking.starts_at.getTime() - (resource?.rules.cancelUntilMinutes ?? 0) * MINUTE)
}

function ensureChangeable(resource: Resource | undefined, booking: BookingRow, now: Date) {
  const until = changeableUntil(resource, booking)
  if (now.getTime() > until.getTime()) throw new TooLateToChange(until.toISOString())
}

/** The booking a manage link names, when its secret matches; anything else is "not found". */
export async function findBookingByToken(db: Db, bookingId: string, token: string): Promise<BookingRow> {
  const booking = /^[0-9a-f-]{36}$/.test(bookingId) ? await findBooking(db, bookingId) : undefined
  if (!booking?.manage_token_hash || !sameHash(booking.manage_token_hash, hashToken(token))) throw new BookingNotFound()
  return booking
}

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex')
const sameHash = (a: string, b: string) =>
  a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))

// Crockford's base32 without I, L, O, U: read aloud at the counter without doubt.
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
function newReference(): string {
  const bytes = crypto.randomBytes(8)
  const chars = [...bytes].map(b => REFERENCE_ALPHABET[b % 32]).join('')
  return `T-${chars.slice(0, 4)}-${chars.slice(4, 8)}`
}
