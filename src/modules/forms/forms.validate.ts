import type { Field, Page, ServiceDefinition } from '../catalogue/index.js'
import { prefilledFieldIds, visibleFields, visiblePages, type Answers, type AnswerValue } from './forms.answers.js'
import type { TranslateParams } from '../../platform/i18n/i18n.js'
import { applyNormalizeSteps } from './field-types/field-type.js'
import { fieldTypeOf, isEmptyAnswer, type FieldProblem, type RawValues } from './field-types/index.js'

export { normalizeDate, resolveDateBound, normalizeNumberText, parseNumber } from './field-types/index.js'
export type { RawValues }

/** A problem with one answer: a translation key and its parameters, rendered in the user's language. */
export interface AnswerError {
  fieldId: string
  anchor: string
  key: string
  params: TranslateParams
}

/**
 * A typed value written the one way it can only mean, before it is checked and stored: the field's own `normalize`
 * steps, then its type's (an IBAN without spaces in capitals, an e-mail address in small letters).
 */
export function normalizeTyped(field: Field, text: string): string {
  const value = applyNormalizeSteps(field, text)
  return fieldTypeOf(field).normalize?.(value) ?? value
}

/** Reads the posted values of one page into answers: what was typed, trimmed and normalised, each by its field's type. */
export function readPageInput(page: Page, raw: RawValues, previous: Answers): Answers {
  const prefilled = new Set(prefilledFieldIds(previous))
  const read: Answers = {}
  for (const field of page.fields) {
    // Taken from the account, not from the form: a posted value for it is ignored.
    if (prefilled.has(field.id)) continue
    const value = fieldTypeOf(field).read(field, raw, previous[field.id])
    if (value !== undefined) read[field.id] = value
  }
  return read
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
        anchor: fieldTypeOf(field).anchor(field, error.part),
        key: error.key,
        params: error.params ?? {},
      })
  }
  return errors
}

export function validateField(field: Field, value: AnswerValue | undefined, today: string): FieldProblem | null {
  const type = fieldTypeOf(field)
  if (value === undefined || isEmptyAnswer(field, value))
    return field.required ? { key: type.requiredKey(field) } : null
  return type.validate(field, value, today)
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
