import type { Db } from '../../platform/db/database.js'
import { addDays, dayInCity } from '../../platform/calendar/index.js'
import { ResourceCatalogue, type Resource } from './booking.resources.js'
import { cityInstant, deriveSlots } from './booking.slots.js'
import { reserve } from './booking.service.js'

const DEMO_PEOPLE = [
  { name: 'Erika Mustermann', email: 'erika.mustermann@example.org', concern: 'personalausweis' },
  { name: 'Ahmet Yılmaz', email: 'ahmet.yilmaz@example.org', concern: 'anmeldung' },
  { name: 'Maria Kowalski', email: 'maria.kowalski@example.org', concern: 'reisepass' },
  { name: 'Jens Becker', email: 'jens.becker@example.org', concern: 'ausweis-abholen' },
  { name: 'Fatma Demir', email: 'fatma.demir@example.org', concern: 'fuehrerschein' },
]

/**
 * Demo appointments at a counter on its next two open days from today, so the counter's list is not empty after
 * `npm start`. Idempotent: a day that has demo bookings already gets none.
 */
export async function seedDemoBookings(db: Db, resource: Resource, staffId: string, now: Date): Promise<void> {
  const resources = new ResourceCatalogue([resource])
  let day = dayInCity(now)
  const open: string[] = []
  for (let i = 0; i < 14 && open.length < 2; i++, day = addDays(day, 1)) {
    const slots = deriveSlots(resource, {
      from: day,
      to: day,
      minutes: 20,
      now,
      occupied: [],
      ignoreBookingWindow: true,
    })
    if (slots.length >= DEMO_PEOPLE.length * 3) open.push(day)
  }
  for (const openDay of open) {
    const existing = await db
      .selectFrom('bookings')
      .select('id')
      .where('resource_id', '=', resource.id)
      .where('note', '=', 'Demo')
      .where('starts_at', '>=', cityInstant(openDay, 0) ?? now)
      .where('starts_at', '<', cityInstant(addDays(openDay, 1), 0) ?? now)
      .executeTakeFirst()
    if (existing) continue
    const slots = deriveSlots(resource, {
      from: openDay,
      to: openDay,
      minutes: 20,
      now,
      occupied: [],
      ignoreBookingWindow: true,
    })
    for (const [i, person] of DEMO_PEOPLE.entries()) {
      const slot = slots[i * 3]
      if (!slot) break
      const minutes = resource.concerns?.find(c => c.id === person.concern)?.minutes ?? 20
      await reserve(
        db,
        resources,
        {
          resourceId: resource.id,
          purpose: 'appointment',
          start: slot.start,
          minutes,
          concern: person.concern,
          person: { name: person.name, email: person.email },
          note: 'Demo',
          bookedBy: staffId,
        },
        now,
      )
    }
  }
}
