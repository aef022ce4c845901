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

/** A KERN select with label and error; options are escaped here. */
export function SelectField(props: {
  id: string
  name: string
  label: string
  options: { value: string; label: string }[]
  selected?: string
  error?: string
}) {
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id} safe>
        {props.label}
      </label>
      <FieldErrorText id={props.id} error={props.error} />
      <div class="kern-form-input__select-wrapper">
        <select
          class="kern-form-input__select"
          id={props.id}
          name={props.name}
          aria-describedby={props.error ? `${props.id}-error` : undefined}
          aria-invalid={props.error ? 'true' : undefined}
        >
          {props.options.map(o => (
            <option value={o.value} selected={o.value === props.selected} safe>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}

export function TextAreaField(props: { id: string; label: string; value: string; error?: string; hint?: string }) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hint`} safe>
          {props.hint}
        </div>
      ) : (
        ''
      )}
      <FieldErrorText id={props.id} error={props.error} />
      <textarea
        class={`kern-form-input__input${props.error ? ' kern-form-input__input--error' : ''}`}
        id={props.id}
        name={props.id}
        rows="3"
        aria-describedby={describedBy || undefined}
        aria-invalid={props.error ? 'true' : undefined}
        safe
      >
        {props.value}
      </textarea>
    </div>
  )
}

function FieldErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="kern-error" id={`${id}-error`} role="alert">
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
      <span class="kern-body" safe>
        {error}
      </span>
    </p>
  ) : (
    ''
  )
}
