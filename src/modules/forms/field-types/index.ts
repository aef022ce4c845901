import type { Field } from '../../catalogue/index.js'
import type { AnswerValue } from '../forms.answers.js'
import type { FieldType, FieldTypeName } from './field-type.js'
import { addressField } from './address.js'
import { checkboxField } from './checkbox.js'
import { dateField } from './date.js'
import { emailField } from './email.js'
import { fileField } from './file.js'
import { ibanField } from './iban.js'
import { numberField } from './number.js'
import { phoneField } from './phone.js'
import { radioField } from './radio.js'
import { selectField } from './select.js'
import { textField } from './text.js'
import { textareaField } from './textarea.js'

/**
 * Every field type a service definition may use, by its `type:` name. The record is complete by its type: a name
 * added to the definition schema (catalogue/definition.schema.ts) without its file here does not compile.
 */
export const fieldTypes: { readonly [Name in FieldTypeName]: FieldType } = {
  text: textField,
  textarea: textareaField,
  number: numberField,
  date: dateField,
  select: selectField,
  radio: radioField,
  checkbox: checkboxField,
  email: emailField,
  phone: phoneField,
  iban: ibanField,
  address: addressField,
  file: fileField,
}

export function fieldTypeOf(field: Field): FieldType {
  return fieldTypes[field.type]
}

/** Whether an answer counts as not given: nothing, an empty text or list, or what the field's type says. */
export function isEmptyAnswer(field: Field, value: AnswerValue | undefined): boolean {
  if (value === undefined || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  return fieldTypeOf(field).isEmpty?.(value) ?? false
}

export type { FieldType, FieldTypeName, FieldProblem, RawValues } from './field-type.js'
export { normalizeDate, resolveDateBound } from './date.js'
export { normalizeNumberText, parseNumber } from './number.js'
