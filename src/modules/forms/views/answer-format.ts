import * as ibantools from 'ibantools'
import type { Field } from '../../catalogue/index.js'
import { formatDate, type Locale } from '../../../platform/i18n/i18n.js'
import { isAddress, isFileAnswer, type AnswerValue } from '../forms.answers.js'
import { normalizeDate } from '../forms.validate.js'

/** One answer as plain text for the check page, the case view and the applicant's copy. */
export function formatAnswer(field: Field, value: AnswerValue | undefined, locale: Locale): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '–'
  if (isAddress(value)) return `${value.street} ${value.houseNumber}, ${value.postalCode} ${value.city}`
  if (isFileAnswer(value)) return `${value.filename} (${Math.max(1, Math.round(value.sizeBytes / 1024))} KB)`
  const labelOf = (v: string) => field.options?.find(o => o.value === v)?.label[locale] ?? v
  if (Array.isArray(value)) return value.map(labelOf).join(', ')
  if (field.type === 'checkbox')
    return value === 'yes' ? (locale === 'de' ? 'Ja' : 'Yes') : locale === 'de' ? 'Nein' : 'No'
  if (field.type === 'date') {
    const iso = normalizeDate(value)
    return iso ? formatDate(iso, locale) : value
  }
  if (field.type === 'select' || field.type === 'radio') return labelOf(value)
  // Stored without spaces (normalizeTyped); read in groups of four, as printed on a bank card.
  if (field.type === 'iban') return ibantools.friendlyFormatIBAN(value) ?? value
  return value
}
