import * as ibantools from 'ibantools'
import type { Field, Page, ServiceDefinition } from '../catalogue/index.js'
import {
  isAddress,
  isFileAnswer,
  prefilledFieldIds,
  visibleFields,
  visiblePages,
  type AddressAnswer,
  type Answers,
  type AnswerValue,
} from './forms.answers.js'
import { formText } from '../../platform/http/form-input.js'
import { dayParam, type TranslateParams } from '../../platform/i18n/i18n.js'

/** A problem with one answer: a translation key and its parameters, rendered in the user's language. */
export interface AnswerError {
  fieldId: string
  anchor: string
  key: string
  params: TranslateParams
}

export type RawValues = Record<string, string | string[] | undefined>

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9][0-9 ()/-]{4,24}$/
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MAX_TEXT = 500
const MAX_TEXTAREA = 5000

const all = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(s => s.trim()).filter(Boolean)

/**
 * A typed value written the one way it can only mean, before it is checked and stored: the field's own `normalize`
 * steps, and per type an IBAN without spaces in capitals and an e-mail address in small letters (accounts are
 * matched that way too, and mail providers ignore the case).
 */
export function normalizeTyped(field: Field, text: string): string {
  let value = text
  for (const step of field.normalize ?? []) {
    if (step === 'upper') value = value.toLocaleUpperCase('de-DE')
    else if (step === 'noSpaces') value = value.replace(/\s+/g, '')
    else value = value.replace(/\s+/g, ' ')
  }
  if (field.type === 'iban') return value.replace(/[\s-]+/g, '').toUpperCase()
  if (field.type === 'email') return value.toLowerCase()
  return value
}

/** Reads the posted values of one page into answers: what was typed, trimmed and normalised (normalizeTyped). */
export function readPageInput(page: Page, raw: RawValues, previous: Answers): Answers {
  const prefilled = new Set(prefilledFieldIds(previous))
  const read: Answers = {}
  for (const field of page.fields) {
    // Taken from the account, not from the form: a posted value for it is ignored.
    if (prefilled.has(field.id)) continue
    switch (field.type) {
      case 'address':
        read[field.id] = {
          street: formText(raw, `${field.id}.street`),
          houseNumber: formText(raw, `${field.id}.houseNumber`),
          // "44 135" is the postcode 44135.
          postalCode: formText(raw, `${field.id}.postalCode`).replace(/\s+/g, ''),
          city: formText(raw, `${field.id}.city`),
        }
        break
      case 'checkbox':
        read[field.id] = field.options ? all(raw[field.id]) : formText(raw, field.id) === 'yes' ? 'yes' : ''
        break
      case 'file':
        // Files come separately (upload); keep the earlier upload unless it is removed.
        if (previous[field.id] !== undefined && formText(raw, `${field.id}.remove`) !== 'yes')
          read[field.id] = previous[field.id]
        break
      default:
        read[field.id] = normalizeTyped(field, formText(raw, field.id))
    }
  }
  return read
}

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

export function parseNumber(value: string): number | null {
  const normalized = normalizeNumberText(value)
  return normalized === null ? null : Number(normalized)
}

/** A typed number as plain decimal text ("1.234,5" → "1234.5"), or null; for exact arithmetic on it (fees). */
export function normalizeNumberText(value: string): string | null {
  // Accept German (1.234,5) and English (1,234.5) writing of numbers.
  const compact = value.replace(/\s/g, '')
  const normalized =
    /,\d{1,2}$/.test(compact) || (compact.includes(',') && !compact.includes('.'))
      ? compact.replace(/\./g, '').replace(',', '.')
      : compact.replace(/,/g, '')
  return /^-?\d+(\.\d+)?$/.test(normalized) ? normalized : null
}

function isEmpty(value: AnswerValue | undefined): boolean {
  if (value === undefined || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  if (isAddress(value)) return !value.street && !value.houseNumber && !value.postalCode && !value.city
  return false
}

/** Checks the visible fields of one page; returns one error per wrong field, in page order. */
export function validatePage(page: Page, answers: Answers, today: string): AnswerError[] {
  const errors: AnswerError[] = []
  const prefilled = new Set(prefilledFieldIds(answers))
  for (const field of visibleFields(page, answers)) {
    if (prefilled.has(field.id)) continue
    const error = validateField(field, answers[field.id], today)
    if (error)
      errors.push({
        fieldId: field.id,
        anchor: anchorOf(field, error.part),
        key: error.key,
        params: error.params ?? {},
      })
  }
  return errors
}

/** The element an error links to: the first input of a compound field. */
function anchorOf(field: Field, part?: string): string {
  if (field.type === 'address') return `${field.id}.${part ?? 'street'}`
  if ((field.type === 'radio' || (field.type === 'checkbox' && field.options)) && field.options)
    return `${field.id}-${field.options[0]!.value}`
  return field.id
}

interface FieldProblem {
  key: string
  params?: TranslateParams
  part?: string
}

export function validateField(field: Field, value: AnswerValue | undefined, today: string): FieldProblem | null {
  if (isEmpty(value)) {
    if (!field.required) return null
    if (field.type === 'file') return { key: 'forms.error.fileRequired' }
    if (field.type === 'checkbox' && !field.options) return { key: 'forms.error.mustConfirm' }
    if (field.type === 'select' || field.type === 'radio' || field.type === 'checkbox')
      return { key: 'forms.error.choose' }
    return { key: 'forms.error.required' }
  }
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'phone':
    case 'email': {
      const text = value as string
      const max = field.maxLength ?? (field.type === 'textarea' ? MAX_TEXTAREA : MAX_TEXT)
      if (text.length > max) return { key: 'forms.error.tooLong', params: { max } }
      if (field.minLength && text.length < field.minLength)
        return { key: 'forms.error.tooShort', params: { min: field.minLength } }
      if (field.type === 'email' && !EMAIL.test(text)) return { key: 'forms.error.email' }
      if (field.type === 'phone' && !PHONE.test(text)) return { key: 'forms.error.phone' }
      if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(text))
        return { key: field.patternMessage ? 'forms.error.patternCustom' : 'forms.error.pattern' }
      return null
    }
    case 'number': {
      const n = parseNumber(value as string)
      if (n === null) return { key: 'forms.error.number' }
      if (!field.decimals && !Number.isInteger(n)) return { key: 'forms.error.wholeNumber' }
      if (typeof field.min === 'number' && n < field.min)
        return { key: 'forms.error.numberMin', params: { min: field.min } }
      if (typeof field.max === 'number' && n > field.max)
        return { key: 'forms.error.numberMax', params: { max: field.max } }
      return null
    }
    case 'date': {
      const date = normalizeDate(value as string)
      if (!date) return { key: 'forms.error.date' }
      if (field.min !== undefined && date < resolveDateBound(field.min, today))
        return { key: 'forms.error.dateMin', params: { date: dayParam(resolveDateBound(field.min, today)) } }
      if (field.max !== undefined && date > resolveDateBound(field.max, today))
        return { key: 'forms.error.dateMax', params: { date: dayParam(resolveDateBound(field.max, today)) } }
      return null
    }
    case 'select':
    case 'radio':
      return field.options?.some(o => o.value === value) ? null : { key: 'forms.error.choose' }
    case 'checkbox':
      if (!field.options) return value === 'yes' ? null : { key: 'forms.error.mustConfirm' }
      return (value as string[]).every(v => field.options!.some(o => o.value === v))
        ? null
        : { key: 'forms.error.choose' }
    case 'iban': {
      const iban = ibantools.electronicFormatIBAN(value as string) ?? ''
      return ibantools.isValidIBAN(iban) ? null : { key: 'forms.error.iban' }
    }
    case 'address': {
      const a = value as AddressAnswer
      const parts: (keyof AddressAnswer)[] = ['street', 'houseNumber', 'postalCode', 'city']
      const missing = parts.find(p => !a[p])
      if (missing) return { key: 'forms.error.addressPart', params: { part: missing }, part: missing }
      if (!/^\d{5}$/.test(a.postalCode)) return { key: 'forms.error.postalCode', part: 'postalCode' }
      if (parts.some(p => a[p].length > 120)) return { key: 'forms.error.tooLong', params: { max: 120 } }
      return null
    }
    case 'file':
      return isFileAnswer(value) ? null : { key: 'forms.error.fileRequired' }
  }
}

/** The final check before submission: every visible page, so a tampered or skipped page cannot slip through. */
export function validateAllPages(
  def: ServiceDefinition,
  answers: Answers,
  today: string,
): { pageId: string; errors: AnswerError[] }[] {
  return visiblePages(def, answers)
    .map(page => ({ pageId: page.id, errors: validatePage(page, answers, today) }))
    .filter(p => p.errors.length > 0)
}
