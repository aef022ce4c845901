import { isLocale, formatDateTime, translator, type Locale } from '../../platform/i18n/i18n.js'
import type { Resource, BookingRow } from '../booking/index.js'
import { calendarText } from '../booking/index.js'

export type MailKind = 'confirmed' | 'moved' | 'cancelled' | 'reminder' | 'reminderByLink'

export const localeOf = (booking: Pick<BookingRow, 'locale'>): Locale =>
  isLocale(booking.locale) ? booking.locale : 'de'

/** The concern's name at the place, in the booking's language. */
export function concernName(resource: Resource | undefined, booking: Pick<BookingRow, 'concern' | 'locale'>): string {
  return resource?.concerns?.find(c => c.id === booking.concern)?.name[localeOf(booking)] ?? booking.concern ?? ''
}

/** What to bring, from the concern in services/_resources.yaml; nothing when it says nothing. */
export function whatToBring(resource: Resource | undefined, booking: Pick<BookingRow, 'concern' | 'locale'>): string {
  return resource?.concerns?.find(c => c.id === booking.concern)?.bring?.[localeOf(booking)] ?? ''
}

/**
 * Where the person goes: the address of a counter, or for a video desk the address of the call (bookingLinks), or
 * where no link can be given here (a page without the secret) the note that it is in the confirmation.
 */
export function placeLine(resource: Resource | undefined, locale: Locale, join?: string): string {
  const t = translator(locale)
  if (resource?.kind === 'video')
    return join ? t.text('appointments.video.join', { url: join }) : t.text('appointments.video.linkFollows')
  return resource?.address ?? ''
}

/** The mail about a booking: confirmation, move, cancellation or reminder, with its links. */
export function bookingMail(
  kind: MailKind,
  booking: BookingRow,
  resource: Resource | undefined,
  links: { manage: string; calendar: string; video?: string },
): { subject: string; text: string } {
  const locale = localeOf(booking)
  const t = translator(locale)
  const params = {
    reference: booking.reference,
    concern: concernName(resource, booking),
    place: resource?.name[locale] ?? booking.resource_id,
    where: placeLine(resource, locale, links.video),
    when: formatDateTime(booking.starts_at, locale),
    bring: whatToBring(resource, booking) || t.text('appointments.bring.default'),
    manage: links.manage,
    calendar: links.calendar,
  }
  return {
    subject: t.text(`appointments.mail.${kind}.subject`, params),
    text: t.text(`appointments.mail.${kind}.body`, params),
  }
}

/** The booking as an iCalendar file: one stable UID, SEQUENCE raised on each move, METHOD:CANCEL once cancelled. */
export function bookingCalendar(booking: BookingRow, resource: Resource | undefined, sequence: number): string {
  const locale = localeOf(booking)
  const t = translator(locale)
  const cancelled = booking.status === 'cancelled'
  return calendarText(
    t.text('appointments.ics.name'),
    [
      {
        uid: `${booking.id}@bauhaus`,
        start: booking.starts_at,
        end: booking.ends_at,
        summary: `${concernName(resource, booking)} – ${resource?.name[locale] ?? ''} (${booking.reference})`,
        description: whatToBring(resource, booking) || undefined,
        location: placeLine(resource, locale) || undefined,
        cancelled,
        sequence,
      },
    ],
    cancelled ? 'cancel' : 'request',
  )
}
