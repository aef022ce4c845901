import { DateTime } from 'luxon'
import { addDays, CITY_TIME_ZONE, dayInCity, isPublicHoliday, type IsoDay } from '../../platform/calendar/index.js'
import { openingOn, unitsOf, type Resource } from './booking.resources.js'

/** A time that can be booked: start and end (without the buffer), and the units still free for it. */
export interface Slot {
  start: Date
  end: Date
  freeUnits: string[]
}

/** A held time of one unit, buffer included (booking_occupancy). */
export interface Occupied {
  unit: string
  from: Date
  to: Date
}

const MINUTE = 60_000

/**
 * The instant a local wall-clock time of the city names, or null when that time does not exist (the hour skipped
 * when the clocks go forward). In the hour that happens twice in autumn the earlier one counts.
 */
export function cityInstant(day: IsoDay, minutesAfterMidnight: number): Date | null {
  if (minutesAfterMidnight === 24 * 60) return cityInstant(addDays(day, 1), 0)
  // On the 363 days without a clock change one offset holds all day: plain arithmetic, no zone lookup per slot.
  const offset = steadyOffset(day)
  if (offset !== null) return new Date(Date.parse(`${day}T00:00:00Z`) + (minutesAfterMidnight - offset) * MINUTE)
  const hh = String(Math.floor(minutesAfterMidnight / 60)).padStart(2, '0')
  const mm = String(minutesAfterMidnight % 60).padStart(2, '0')
  const local = DateTime.fromISO(`${day}T${hh}:${mm}`, { zone: CITY_TIME_ZONE })
  if (!local.isValid || local.toFormat('HH:mm') !== `${hh}:${mm}`) return null
  return local.toJSDate()
}

const steadyOffsets = new Map<IsoDay, number | null>()
/** The city's UTC offset in minutes on a day when it does not change, or null on the days the clocks change. */
function steadyOffset(day: IsoDay): number | null {
  let offset = steadyOffsets.get(day)
  if (offset === undefined) {
    const start = DateTime.fromISO(`${day}T00:00`, { zone: CITY_TIME_ZONE }).offset
    const end = DateTime.fromISO(`${day}T23:59`, { zone: CITY_TIME_ZONE }).offset
    offset = start === end ? start : null
    if (steadyOffsets.size > 5000) steadyOffsets.clear()
    steadyOffsets.set(day, offset)
  }
  return offset
}

export interface SlotQuery {
  /** First and last day asked for (city calendar days), both included. */
  from: IsoDay
  to: IsoDay
  /** How long the booking takes, in minutes. */
  minutes: number
  now: Date
  /** Held times at the resource overlapping the days asked for. */
  occupied: readonly Occupied[]
  /** The parts wanted together (a hall); otherwise any one free unit will do. */
  parts?: readonly string[]
  /** Staff may look past the lead time and the horizon (moving an appointment, a counter booking). */
  ignoreBookingWindow?: boolean
}

/** The first and last start a person may book now, by the resource's rules. */
export function bookingWindow(resource: Resource, now: Date): { earliest: Date; latest: Date } {
  return {
    earliest: new Date(now.getTime() + (resource.rules.minLeadMinutes ?? 0) * MINUTE),
    latest: new Date(now.getTime() + resource.rules.horizonDays * 86_400_000),
  }
}

/**
 * Every bookable time of a resource between two days, derived from its rules (opening hours, special and closed
 * days, public holidays, grid, buffer, lead time, horizon) and the times already held, in start order. A slot is
 * offered when one unit is free for its whole length plus the buffer (or, for parts, all the parts wanted).
 */
export function deriveSlots(resource: Resource, query: SlotQuery): Slot[] {
  const { rules } = resource
  const step = rules.slotMinutes
  const buffer = rules.bufferMinutes ?? 0
  const { earliest, latest } = bookingWindow(resource, query.now)
  const units = query.parts ? [...query.parts] : unitsOf(resource)
  const needsAll = !!query.parts
  const byUnit = new Map<string, Occupied[]>(units.map(u => [u, []]))
  for (const o of query.occupied) byUnit.get(o.unit)?.push(o)
  for (const list of byUnit.values()) list.sort((a, b) => a.from.getTime() - b.from.getTime())
  // Slots come in start order, so each unit's first interval that ends after the start only moves forward.
  const cursor = new Map<string, number>(units.map(u => [u, 0]))
  const isFree = (unit: string, from: Date, to: Date) => {
    const list = byUnit.get(unit) ?? []
    let i = cursor.get(unit) ?? 0
    while (i < list.length && (list[i] as Occupied).to.getTime() <= from.getTime()) i++
    cursor.set(unit, i)
    const next = list[i]
    return !next || next.from.getTime() >= to.getTime()
  }

  const slots: Slot[] = []
  for (let day = query.from; day <= query.to; day = addDays(day, 1)) {
    for (const [open, close] of openingOn(resource, day, isPublicHoliday)) {
      const closeAt = cityInstant(day, close)
      if (!closeAt) continue
      for (let minute = open; minute + query.minutes <= close; minute += step) {
        const start = cityInstant(day, minute)
        if (!start) continue
        const end = new Date(start.getTime() + query.minutes * MINUTE)
        // Measured in real time: on the day the clocks change an evening interval is an hour longer or shorter.
        if (end.getTime() > closeAt.getTime()) break
        if (!query.ignoreBookingWindow && (start < earliest || start > latest)) continue
        const heldUntil = new Date(end.getTime() + buffer * MINUTE)
        const freeUnits = units.filter(u => isFree(u, start, heldUntil))
        if (needsAll ? freeUnits.length === units.length : freeUnits.length > 0) slots.push({ start, end, freeUnits })
      }
    }
  }
  return slots
}

/** Whether a start and length are one of the times the rules offer on that day (free or not). */
export function isOfferedTime(
  resource: Resource,
  start: Date,
  minutes: number,
  now: Date,
  ignoreBookingWindow = false,
) {
  const day = dayInCity(start)
  return deriveSlots(resource, { from: day, to: day, minutes, now, occupied: [], ignoreBookingWindow }).some(
    s => s.start.getTime() === start.getTime(),
  )
}
