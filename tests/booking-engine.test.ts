import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import os from 'node:os'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'
import {
  deriveSlots,
  cityInstant,
  cancelBooking,
  freeSlots,
  findBookingByToken,
  loadResources,
  moveBooking,
  reserve,
  BookingNotFound,
  TimeJustTaken,
  TimeNotOffered,
  TooLateToChange,
  calendarText,
  type Resource,
} from '../src/modules/booking/index.js'
import { ConfigFileError } from '../src/platform/config-file.js'
import { addDays, dayInCity, isWorkingDay } from '../src/platform/calendar/index.js'

/** The booking engine (docs/booking.md): slots from rules, no double booking under a race, cancel and move. */
let platform: TestPlatform
const db = () => platform.database.db
const resources = () => platform.app.resources

before(async () => {
  platform = await startTestPlatform()
})
after(async () => {
  await platform?.close()
})

const counter = (overrides: Partial<Resource> = {}): Resource => ({
  id: 'test-counter',
  office: 'buergerdienste',
  kind: 'counter',
  name: { de: 'Test', en: 'Test' },
  capacity: 2,
  openingHours: { mon: ['08:00-10:00'], sun: ['01:00-04:00'] },
  closedOnPublicHolidays: false,
  rules: { slotMinutes: 30, horizonDays: 3650 },
  concerns: [{ id: 'x', name: { de: 'X', en: 'X' }, minutes: 30 }],
  ...overrides,
})
const longAgo = new Date('2026-03-01T00:00:00Z')

/** The next working day from today on which the resource is open at 09:00 local time, at least two days ahead. */
function nextOpenDay(weekdays = [1, 2, 4]): string {
  let day = addDays(dayInCity(platform.clock.now()), 2)
  while (!isWorkingDay(day) || !weekdays.includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1)
  return day
}

describe('slots derived from rules', () => {
  it('follows the local clock across the change to summer and winter time', () => {
    const resource = counter()
    // Monday 30 March 2026 is the first day in summer time: 08:00 local is 06:00 UTC; the Monday before, 07:00 UTC.
    const winter = deriveSlots(resource, {
      from: '2026-03-23',
      to: '2026-03-23',
      minutes: 30,
      now: longAgo,
      occupied: [],
    })
    const summer = deriveSlots(resource, {
      from: '2026-03-30',
      to: '2026-03-30',
      minutes: 30,
      now: longAgo,
      occupied: [],
    })
    assert.deepEqual(
      winter.map(s => s.start.toISOString()),
      ['2026-03-23T07:00:00.000Z', '2026-03-23T07:30:00.000Z', '2026-03-23T08:00:00.000Z', '2026-03-23T08:30:00.000Z'],
    )
    assert.deepEqual(
      summer.map(s => s.start.toISOString()),
      ['2026-03-30T06:00:00.000Z', '2026-03-30T06:30:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-30T07:30:00.000Z'],
    )
  })

  it('skips the hour that does not exist in spring and keeps real lengths in the night of the change', () => {
    // Sunday 29 March 2026: 02:00–03:00 local does not exist; an interval 01:00–04:00 is two real hours long.
    const spring = deriveSlots(counter(), {
      from: '2026-03-29',
      to: '2026-03-29',
      minutes: 30,
      now: longAgo,
      occupied: [],
    })
    assert.deepEqual(
      spring.map(s => s.start.toISOString()),
      ['2026-03-29T00:00:00.000Z', '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z'],
    )
    // Sunday 25 October 2026: 02:00–03:00 happens twice; the slots on the local grid stay, 30 real minutes each.
    const autumn = deriveSlots(counter(), {
      from: '2026-10-25',
      to: '2026-10-25',
      minutes: 30,
      now: longAgo,
      occupied: [],
    })
    for (const slot of autumn) assert.equal(slot.end.getTime() - slot.start.getTime(), 30 * 60_000)
    assert.equal(autumn[0]?.start.toISOString(), '2026-10-24T23:00:00.000Z')
    assert.equal(cityInstant('2026-03-29', 150), null)
  })

  it('closes on NRW public holidays, closed days and special days, and keeps a buffer after each booking', () => {
    const resource = counter({
      closedOnPublicHolidays: true,
      closedDays: ['2026-03-16'],
      specialDays: [{ day: '2026-03-09', hours: ['08:00-09:00'] }],
      rules: { slotMinutes: 30, bufferMinutes: 30, horizonDays: 3650 },
    })
    const slots = (day: string) =>
      deriveSlots(resource, { from: day, to: day, minutes: 30, now: longAgo, occupied: [] }).map(s =>
        s.start.toISOString(),
      )
    assert.deepEqual(slots('2026-04-06'), [], 'Easter Monday is a public holiday in NRW')
    assert.deepEqual(slots('2026-03-16'), [], 'a closed day')
    assert.equal(slots('2026-03-09').length, 2, 'a special day with one hour')
    // Both desks held 07:00–07:30 UTC plus the buffer: the next start with a free desk is 08:00 local + 60 min.
    const held = ['1', '2'].map(unit => ({
      unit,
      from: new Date('2026-03-23T07:00:00Z'),
      to: new Date('2026-03-23T08:00:00Z'),
    }))
    const after = deriveSlots(resource, {
      from: '2026-03-23',
      to: '2026-03-23',
      minutes: 30,
      now: longAgo,
      occupied: held,
    })
    assert.deepEqual(
      after.map(s => s.start.toISOString()),
      ['2026-03-23T08:00:00.000Z', '2026-03-23T08:30:00.000Z'],
    )
  })

  it('refuses a resources file that names an unknown office, overlapping hours or lengths off the grid, with file and path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resources-'))
    fs.writeFileSync(
      path.join(dir, '_resources.yaml'),
      [
        '- id: halle',
        '  office: nirgendwo',
        '  kind: hall',
        '  name: { de: Halle, en: Hall }',
        '  parts: [{ id: a, name: { de: A, en: A } }, { id: b, name: { de: B, en: B } }]',
        '  openingHours: { mon: ["10:00-12:00", "11:00-13:00"] }',
        '  rules: { slotMinutes: 30, horizonDays: 30, minMinutes: 45, maxMinutes: 120 }',
      ].join('\n'),
    )
    assert.throws(
      () => loadResources(dir, ['buergerdienste']),
      (error: unknown) => {
        assert.ok(error instanceof ConfigFileError)
        const text = error.message
        assert.match(text, /_resources\.yaml: \/0\/office: unknown office "nirgendwo"/)
        assert.match(text, /\/0\/openingHours\/mon\/1: "11:00-13:00" overlaps/)
        assert.match(text, /\/0\/rules\/minMinutes: 45 is not a multiple of slotMinutes 30/)
        return true
      },
    )
  })
})

describe('holding a time', () => {
  const person = { name: 'Rita Rennen', email: 'rita@example.org' }

  it('gives exactly the free desks to many people clicking at once; the others get the next free times', async () => {
    const day = nextOpenDay()
    const resource = resources().get('buergerbuero-hoerde')
    assert.ok(resource)
    const start = cityInstant(day, 9 * 60)
    assert.ok(start)
    const attempts = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) =>
        reserve(
          db(),
          resources(),
          {
            resourceId: resource.id,
            purpose: 'appointment',
            start,
            minutes: 20,
            concern: 'personalausweis',
            person: { ...person, email: `race-${i}@example.org` },
          },
          platform.clock.now(),
        ),
      ),
    )
    const won = attempts.filter(a => a.status === 'fulfilled')
    const lost = attempts.filter(a => a.status === 'rejected')
    assert.equal(won.length, 2, 'the two desks of Hörde')
    for (const loss of lost) {
      assert.ok(loss.reason instanceof TimeJustTaken, String(loss.reason))
      assert.ok(loss.reason.alternatives.length > 0)
      assert.ok(loss.reason.alternatives.every(s => s.start > start))
    }
    const units = won.map(w => w.value.booking.units[0]).sort()
    assert.deepEqual(units, ['1', '2'])
    const rows = await db()
      .selectFrom('bookings')
      .select('id')
      .where('resource_id', '=', resource.id)
      .where('starts_at', '=', start)
      .execute()
    assert.equal(rows.length, 2, 'nothing half-written by the losers')
  })

  it('holds the parts of a hall: a third and the whole hall at the same time cannot both be booked', async () => {
    const day = addDays(nextOpenDay([3]), 7)
    const start = cityInstant(day, 18 * 60)
    assert.ok(start)
    const base = { resourceId: 'sporthalle-brackel', purpose: 'facility' as const, start, minutes: 120, person }
    const [third, whole] = await Promise.allSettled([
      reserve(db(), resources(), { ...base, parts: ['b'] }, platform.clock.now()),
      reserve(db(), resources(), { ...base, parts: [] }, platform.clock.now()),
    ])
    assert.equal([third, whole].filter(r => r.status === 'fulfilled').length, 1)
    const free = await freeSlots(db(), resources().get('sporthalle-brackel') as Resource, {
      from: day,
      to: day,
      minutes: 60,
      now: platform.clock.now(),
      parts: ['a'],
    })
    const freeA = free.some(s => s.start.getTime() === start.getTime())
    assert.equal(freeA, third.status === 'fulfilled', 'third A stays free only when the other third was booked alone')
  })

  it('refuses past times, times outside the opening hours, overlong stays and unknown parts, each with its own reason', async () => {
    const now = platform.clock.now()
    const day = nextOpenDay()
    const at = (minute: number) => cityInstant(day, minute) as Date
    const tryIt = (request: Partial<Parameters<typeof reserve>[2]>) =>
      reserve(
        db(),
        resources(),
        {
          resourceId: 'buergerbuero-mitte',
          purpose: 'appointment',
          start: at(9 * 60),
          minutes: 20,
          person,
          ...request,
        },
        now,
      )
    const breach = async (request: Partial<Parameters<typeof reserve>[2]>, expected: string) =>
      assert.rejects(tryIt(request), (e: unknown) => e instanceof TimeNotOffered && e.breach === expected)
    await breach({ start: new Date(now.getTime() - 3_600_000) }, 'inPast')
    await breach({ start: at(5 * 60) }, 'outsideHours')
    await breach({ start: at(9 * 60 + 5) }, 'outsideHours')
    await breach({ start: new Date(now.getTime() + 400 * 86_400_000) }, 'tooFarAhead')
    await breach({ concern: 'kein-anliegen' }, 'unknownConcern')
    await breach({ resourceId: 'sporthalle-brackel', start: at(18 * 60), minutes: 600 }, 'tooLong')
    await breach({ resourceId: 'sporthalle-brackel', start: at(18 * 60), minutes: 60, parts: ['z'] }, 'unknownPart')
    const count = await db()
      .selectFrom('bookings')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const occupancy = await db()
      .selectFrom('booking_occupancy')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.ok(Number(occupancy.n) <= Number(count.n) * 3, 'no occupancy without its booking')
  })

  it('cancels through the secret link (only its own booking, only once, only in time) and frees the time for the next person', async () => {
    const day = nextOpenDay()
    const start = cityInstant(day, 10 * 60) as Date
    const request = {
      resourceId: 'buergerbuero-hoerde',
      purpose: 'appointment' as const,
      start,
      minutes: 20,
      person,
    }
    const first = await reserve(db(), resources(), request, platform.clock.now())
    const second = await reserve(
      db(),
      resources(),
      { ...request, person: { ...person, email: 'b@example.org' } },
      platform.clock.now(),
    )
    await assert.rejects(reserve(db(), resources(), request, platform.clock.now()), TimeJustTaken)
    await assert.rejects(findBookingByToken(db(), first.booking.id, second.manageToken), BookingNotFound)
    await assert.rejects(findBookingByToken(db(), 'not-a-uuid', first.manageToken), BookingNotFound)
    const found = await findBookingByToken(db(), first.booking.id, first.manageToken)
    assert.equal(found.reference, first.booking.reference)
    assert.match(found.reference, /^T-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    await cancelBooking(db(), resources(), first.booking.id, { actor: {}, asStaff: false }, platform.clock.now())
    await assert.rejects(
      cancelBooking(db(), resources(), first.booking.id, { actor: {}, asStaff: false }, platform.clock.now()),
      /notActive/,
    )
    const third = await reserve(
      db(),
      resources(),
      { ...request, person: { ...person, email: 'c@example.org' } },
      platform.clock.now(),
    )
    assert.ok(third.booking.id)
    // Ten minutes before the start the person can no longer cancel online (cancelUntilMinutes: 120); staff can.
    const late = new Date(start.getTime() - 10 * 60_000)
    await assert.rejects(
      cancelBooking(db(), resources(), second.booking.id, { actor: {}, asStaff: false }, late),
      TooLateToChange,
    )
    await cancelBooking(db(), resources(), second.booking.id, { actor: {}, asStaff: true, reason: 'Krank' }, late)
  })

  it('moves a booking to a free time in one step, and leaves it where it was when the new time is taken', async () => {
    const day = nextOpenDay()
    const start = cityInstant(day, 11 * 60) as Date
    const later = cityInstant(day, 11 * 60 + 20) as Date
    const request = { resourceId: 'buergerbuero-hoerde', purpose: 'appointment' as const, minutes: 20, person }
    const mine = await reserve(db(), resources(), { ...request, start }, platform.clock.now())
    const moved = await moveBooking(
      db(),
      resources(),
      mine.booking.id,
      { start: later },
      { actor: {}, asStaff: false },
      platform.clock.now(),
    )
    assert.equal(moved.starts_at.getTime(), later.getTime())
    // Fill both desks at the original time, then try to move back: refused, the booking stays at the later time.
    await reserve(db(), resources(), { ...request, start }, platform.clock.now())
    await reserve(db(), resources(), { ...request, start }, platform.clock.now())
    await assert.rejects(
      moveBooking(db(), resources(), mine.booking.id, { start }, { actor: {}, asStaff: false }, platform.clock.now()),
      TimeJustTaken,
    )
    const still = await db()
      .selectFrom('bookings')
      .select('starts_at')
      .where('id', '=', mine.booking.id)
      .executeTakeFirstOrThrow()
    assert.equal(still.starts_at.getTime(), later.getTime())
  })

  it('writes RFC 5545 calendar files with a stable uid and the local time zone', () => {
    const text = calendarText(
      'Termin',
      [
        {
          uid: 'abc@bauhaus',
          start: new Date('2026-03-30T06:00:00Z'),
          end: new Date('2026-03-30T06:20:00Z'),
          summary: 'Personalausweis',
        },
      ],
      'request',
    )
    assert.match(text, /BEGIN:VCALENDAR/)
    assert.match(text, /METHOD:REQUEST/)
    assert.match(text, /UID:abc@bauhaus/)
    assert.match(text, /DTSTART:20260330T060000Z/)
    assert.match(text, /SUMMARY:Personalausweis/)
  })
})
