import type { Field } from '../../catalogue/index.js'
import type { Locale } from '../../../platform/i18n/i18n.js'
import type { AnswerValue } from '../forms.answers.js'
import { fieldTypeOf } from '../field-types/index.js'

/** One answer as plain text for the check page, the case view and the applicant's copy. */
export function formatAnswer(field: Field, value: AnswerValue | undefined, locale: Locale): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '–'
  return fieldTypeOf(field).format(field, value, locale)
}
