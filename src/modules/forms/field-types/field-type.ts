import type { Field, FieldType as FieldTypeName } from '../../catalogue/index.js'
import { formText } from '../../../platform/http/form-input.js'
import type { Locale, Translate, TranslateParams } from '../../../platform/i18n/i18n.js'
import type { AnswerValue } from '../forms.answers.js'

export type { FieldTypeName }
export type RawValues = Record<string, string | string[] | undefined>

/** What is wrong with one answer: a translation key, its parameters, and for a compound field the part. */
export interface FieldProblem {
  key: string
  params?: TranslateParams
  part?: string
}

export interface FieldInputProps {
  field: Field
  value: AnswerValue | undefined
  error?: string
  t: Translate
}

/**
 * Everything the form engine knows about one kind of field (`type:` in a service definition), in one place: how
 * its answer is read from a post, checked, linked to from an error, shown as an input and as text, and what a
 * plausible answer looks like. The registry (field-types/index.ts) lists one per type.
 */
export interface FieldType<Value extends AnswerValue = AnswerValue> {
  /** Reads the field's answer from a posted form; undefined when it has none (no file chosen). */
  read(field: Field, raw: RawValues, previous: AnswerValue | undefined): Value | undefined
  /** Writes a typed text the one way it can only mean (after the field's own `normalize` steps). */
  normalize?(text: string): string
  /** Whether an answer counts as not given; by default an empty text or list. */
  isEmpty?(value: Value): boolean
  /** The error key when a required field is left empty. */
  requiredKey(field: Field): string
  /** Checks an answer that was given; null when it is fine. */
  validate(field: Field, value: Value, today: string): FieldProblem | null
  /** The id of the element an error links to: the first input of a compound field. */
  anchor(field: Field, part?: string): string
  /** The answer as plain text for the check page, the case view, letters and the PDF. */
  format(field: Field, value: Value, locale: Locale): string
  /** The field's input (KERN markup), filled with the answer so far. */
  Input(props: FieldInputProps): JSX.Element
  /** A valid answer for demo cases and tests; null when none can be made up (an upload). */
  example(field: Field, today: string): Value | null
}

/** The steps a definition lists under `normalize`, in their order. */
export function applyNormalizeSteps(field: Field, text: string): string {
  let value = text
  for (const step of field.normalize ?? []) {
    if (step === 'upper') value = value.toLocaleUpperCase('de-DE')
    else if (step === 'noSpaces') value = value.replace(/\s+/g, '')
    else value = value.replace(/\s+/g, ' ')
  }
  return value
}

/** A one-value field's answer: its text, trimmed, with the definition's and the type's normalisation. */
export function readText(field: Field, raw: RawValues, normalize?: (text: string) => string): string {
  const value = applyNormalizeSteps(field, formText(raw, field.id))
  return normalize ? normalize(value) : value
}

const MAX_TEXT = 500

/** Length and pattern, as for every typed text (text, textarea, e-mail, phone). */
export function checkText(field: Field, text: string, maxDefault = MAX_TEXT): FieldProblem | null {
  const max = field.maxLength ?? maxDefault
  if (text.length > max) return { key: 'forms.error.tooLong', params: { max } }
  if (field.minLength && text.length < field.minLength)
    return { key: 'forms.error.tooShort', params: { min: field.minLength } }
  return null
}

export function checkPattern(field: Field, text: string): FieldProblem | null {
  if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, 'u').test(text))
    return { key: field.patternMessage ? 'forms.error.patternCustom' : 'forms.error.pattern' }
  return null
}

export const idAnchor = (field: Field) => field.id

/** The label of a chosen option in the reader's language, or the value itself when the option is gone. */
export const optionLabel = (field: Field, value: string, locale: Locale) =>
  field.options?.find(o => o.value === value)?.label[locale] ?? value

export const asText = (value: AnswerValue): string => (typeof value === 'string' ? value : String(value))
