import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator'

/** One event of an iCalendar file (RFC 5545): an appointment for the person, or a booking in a staff feed. */
export interface CalendarEvent {
  /** Stable across changes, so a calendar replaces a moved appointment instead of adding a second one. */
  uid: string
  start: Date
  end: Date
  summary: string
  description?: string
  location?: string
  url?: string
  cancelled?: boolean
  /** Raised on every change (a move, a cancellation), as RFC 5545 asks. */
  sequence?: number
}

/**
 * An iCalendar text. `method: 'request'` for a file sent with a confirmation (mail programs offer "add to calendar"),
 * 'cancel' for a cancellation, none for a subscribed feed.
 */
export function calendarText(
  name: string,
  events: readonly CalendarEvent[],
  method?: 'request' | 'cancel' | 'publish',
): string {
  const calendar = ical({ name, prodId: { company: 'Bauhaus', product: 'booking', language: 'DE' } })
  if (method)
    calendar.method(
      method === 'request'
        ? ICalCalendarMethod.REQUEST
        : method === 'cancel'
          ? ICalCalendarMethod.CANCEL
          : ICalCalendarMethod.PUBLISH,
    )
  for (const e of events)
    calendar.createEvent({
      id: e.uid,
      start: e.start,
      end: e.end,
      summary: e.summary,
      description: e.description ?? null,
      location: e.location ?? null,
      url: e.url ?? null,
      sequence: e.sequence ?? 0,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    })
  return calendar.toString()
}
