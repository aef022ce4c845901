import { dayParam, formatDate } from '../../../platform/i18n/i18n.js'
import type { FieldProblem, FieldType } from './field-type.js'
import { asText, idAnchor, readText } from './field-type.js'
import { SingleInput } from './field-view.js'

const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A date typed as 24.12.2025 or sent as 2025-12-24 by a date picker, as an ISO date; null when it is none. */
export function normalizeDate(value: string): string | null {
  const german = GERMAN_DATE.exec(value)
  const iso = ISO_DATE.exec(value)
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : german
      ? [Number(german[3]), Number(german[2]), Number(german[1])]
      : [0, 0, 0]
  if (!y) return null
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null
  return date.toISOString().slice(0, 10)
}

/** "today", "today+30", "today-6570" (days) or an ISO date, relative to the given day. */
export function resolveDateBound(bound: string | number, today: string): string {
  if (typeof bound === 'number') return today
  const match = /^today([+-]\d+)?$/.exec(bound)
  if (!match) return bound
  const date = new Date(`${today}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + Number(match[1] ?? 0))
  return date.toISOString().slice(0, 10)
}

/** A calendar day within `min` and `max` (ISO dates or days from today). */
export const dateField: FieldType<string> = {
  read: (field, raw) => readText(field, raw),
  requiredKey: () => 'forms.error.required',
  validate: (field, text, today): FieldProblem | null => {
    const date = normalizeDate(text)
    if (!date) return { key: 'forms.error.date' }
    if (field.min !== undefined && date < resolveDateBound(field.min, today))
      return { key: 'forms.error.dateMin', params: { date: dayParam(resolveDateBound(field.min, today)) } }
    if (field.max !== undefined && date > resolveDateBound(field.max, today))
      return { key: 'forms.error.dateMax', params: { date: dayParam(resolveDateBound(field.max, today)) } }
    return null
  },
  anchor: idAnchor,
  format: (_field, value, locale) => {
    const iso = typeof value === 'string' ? normalizeDate(value) : null
    return iso ? formatDate(iso, locale) : asText(value)
  },
  Input: props => <SingleInput {...props} type="date" />,
  example: (field, today) => {
    const lo = field.min !== undefined ? resolveDateBound(field.min, today) : '1900-01-01'
    const hi = field.max !== undefined ? resolveDateBound(field.max, today) : '2100-01-01'
    return today >= lo && today <= hi ? today : hi < today ? hi : lo
  },
}
