import crypto from 'node:crypto'
import { sql } from 'kysely'
import { startTestPlatform } from '../tests/support/test-platform.js'
import {
  deriveSlots,
  freeSlots,
  occupiedBetween,
  reserve,
  ResourceCatalogue,
  syncResources,
  TimeJustTaken,
  type Resource,
} from '../src/modules/booking/index.js'
import { addDays, dayInCity } from '../src/platform/calendar/index.js'
import { seededRandom } from '../src/modules/triage/triage.model.js'
import { intFromEnv, measure, ms, percentile, table, timeRepeated } from './measure.js'

const RACERS = 200
const SLOTS = 50
const SEARCH_RESOURCES = 30
const SEARCHES = 300

const benchCounter = (id: string, capacity: number): Resource => ({
  id,
  office: 'buergerdienste',
  kind: 'counter',
  name: { de: id, en: id },
  capacity,
  openingHours: {
    mon: ['08:00-12:30', '13:30-16:00'],
    tue: ['08:00-12:30', '13:30-16:00'],
    wed: ['08:00-12:30'],
    thu: ['08:00-12:30', '13:30-18:00'],
    fri: ['08:00-12:30'],
  },
  rules: { slotMinutes: 10, horizonDays: 60, cancelUntilMinutes: 120 },
  concerns: [{ id: 'ausweis', name: { de: 'Ausweis', en: 'ID card' }, minutes: 20 }],
})

/**
 * The booking engine under load: 200 clients race for 50 single-desk times (exactly 50 must win, the others get the
 * next free times), and the free times of a month at 30 busy counters. Baselines in the same run: a single-row
 * insert at the same concurrency, and reading the month's held times without deriving slots.
 */
export async function benchBooking(): Promise<string> {
  const racers = intFromEnv('BENCH_BOOKING_RACERS', RACERS)
  const platform = await startTestPlatform({ seedDemoData: false })
  const { db } = platform.database
  try {
    const now = platform.clock.now()
    const raceDesk = benchCounter('bench-race', 1)
    const searched = Array.from({ length: SEARCH_RESOURCES }, (_, i) => benchCounter(`bench-search-${i + 1}`, 4))
    const resources = new ResourceCatalogue([raceDesk, ...searched])
    await syncResources(db, resources.all)

    // The race: 50 times of one desk a week ahead, four clients for each, all at once.
    const from = addDays(dayInCity(now), 7)
    const times = deriveSlots(raceDesk, { from, to: addDays(from, 7), minutes: 20, now, occupied: [] })
      .filter((_, i) => i % 2 === 0)
      .slice(0, SLOTS)
    let won = 0
    let taken = 0
    const race = await measure(
      Array.from({ length: racers }, (_, i) => i),
      racers,
      async i => {
        try {
          await reserve(
            db,
            resources,
            {
              resourceId: raceDesk.id,
              purpose: 'appointment',
              start: (times[i % times.length] as { start: Date }).start,
              minutes: 20,
              concern: 'ausweis',
              person: { name: `Racer ${i}`, email: `racer-${i}@example.org` },
            },
            now,
          )
          won++
        } catch (error) {
          if (!(error instanceof TimeJustTaken)) throw error
          taken++
        }
      },
    )
    // A plain table in the test database (dropped with it): a temporary one would exist on one pooled connection only.
    if (won !== times.length) throw new Error(`the race gave ${won} bookings for ${times.length} times`)
    await sql`create table bench_inserts (id uuid primary key, during tstzrange not null)`.execute(db)
    const inserts = await measure(
      Array.from({ length: racers }, (_, i) => i),
      racers,
      async () => {
        await sql`insert into bench_inserts values (${crypto.randomUUID()}, tstzrange(now(), now() + interval '20 minutes'))`.execute(
          db,
        )
      },
    )

    // The month at 30 counters of four desks, 60 % of desk-times held (as bookings with their occupancy rows).
    const random = seededRandom(7)
    const monthFrom = addDays(dayInCity(now), 1)
    const monthTo = addDays(monthFrom, 30)
    let held = 0
    for (const resource of searched) {
      const rows = deriveSlots(resource, { from: monthFrom, to: monthTo, minutes: 20, now, occupied: [] })
        .filter((_, i) => i % 2 === 0)
        .flatMap(slot => ['1', '2', '3', '4'].filter(() => random() < 0.6).map(unit => ({ slot, unit })))
      held += rows.length
      const ids = rows.map(() => crypto.randomUUID())
      await sql`
        insert into bookings (id, reference, resource_id, purpose, starts_at, ends_at, units, created_at)
        select id, 'B-' || substr(id::text, 1, 13), ${resource.id}, 'appointment', s, s + interval '20 minutes', array[u], now()
        from unnest(${ids}::uuid[], ${rows.map(r => r.slot.start.toISOString())}::timestamptz[], ${rows.map(r => r.unit)}::text[]) as t(id, s, u)`.execute(
        db,
      )
      await sql`
        insert into booking_occupancy (booking_id, resource_id, unit, during)
        select id, ${resource.id}, units[1], tstzrange(starts_at, ends_at) from bookings where resource_id = ${resource.id}`.execute(
        db,
      )
    }
    await sql`analyze booking_occupancy`.execute(db)
    let k = 0
    let offered = 0
    const search = await timeRepeated(SEARCHES, async () => {
      const resource = searched[k++ % searched.length] as Resource
      offered += (await freeSlots(db, resource, { from: monthFrom, to: monthTo, minutes: 20, now })).length
    })
    let m = 0
    const reading = await timeRepeated(SEARCHES, () => {
      const resource = searched[m++ % searched.length] as Resource
      return occupiedBetween(
        db,
        resource.id,
        new Date(`${monthFrom}T00:00:00Z`),
        new Date(`${addDays(monthTo, 1)}T00:00:00Z`),
      )
    })

    const database = platform.database.kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL server'
    const p95 = (d: number[]) => percentile(d, 0.95)
    return [
      `Booking on ${database}: ${racers} clients raced for ${times.length} times of one desk — ${won} booked, ${taken} told "just taken" with the next free times. Month search: ${SEARCH_RESOURCES} counters of 4 desks, ${held.toLocaleString('en')} held desk-times, ${(offered / SEARCHES).toFixed(0)} free times found per search on average.`,
      '',
      table(
        ['figure', 'per second', 'p50', 'p95', 'p99', 'p99 vs. baseline'],
        [
          [
            'booking race: reserve (check, hold, audit; losers get alternatives)',
            race.perSecond.toFixed(0),
            ms(race.p50),
            '',
            ms(race.p99),
            `${(race.p99 / inserts.p99).toFixed(1)} ×`,
          ],
          [
            'baseline: single-row insert, same concurrency',
            inserts.perSecond.toFixed(0),
            ms(inserts.p50),
            '',
            ms(inserts.p99),
            '1.0 ×',
          ],
        ],
      ),
      '',
      table(
        ['figure', 'p50', 'p95', 'p95 vs. baseline'],
        [
          [
            'free times of a month at one counter (read + derive)',
            ms(percentile(search, 0.5)),
            ms(p95(search)),
            `${(p95(search) / p95(reading)).toFixed(1)} ×`,
          ],
          ["baseline: reading the month's held times only", ms(percentile(reading, 0.5)), ms(p95(reading)), '1.0 ×'],
        ],
      ),
      '',
    ].join('\n')
  } finally {
    await platform.close()
  }
}
