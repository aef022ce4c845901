import type { Locale, Translate } from '../../../platform/i18n/i18n.js'
import type { BookingStatus } from '../../../platform/db/schema.js'

const times = new Map<Locale, Intl.DateTimeFormat>()
/** "08:30" in the city's time, whatever the server's zone. */
export function timeOf(date: Date, locale: Locale): string {
  let format = times.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Berlin',
    })
    times.set(locale, format)
  }
  return format.format(date)
}

const weekdays = new Map<Locale, Intl.DateTimeFormat>()
/** "Mo., 7. Dez." for a city day. */
export function dayLabel(day: string, locale: Locale): string {
  let format = weekdays.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    })
    weekdays.set(locale, format)
  }
  return format.format(new Date(`${day}T12:00:00Z`))
}

export function BookingStatusTag({ status, t }: { status: BookingStatus; t: Translate }) {
  const kind =
    status === 'checked_in'
      ? 'success'
      : status === 'done'
        ? 'success'
        : status === 'no_show' || status === 'cancelled'
          ? 'warning'
          : 'info'
  return <span class={`kern-badge kern-badge--${kind}`}>{t(`booking.staff.status.${status}`)}</span>
}
