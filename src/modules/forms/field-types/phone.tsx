import type { FieldType } from './field-type.js'
import { asText, checkPattern, checkText, idAnchor, readText } from './field-type.js'
import { SingleInput } from './field-view.js'

const PHONE = /^\+?[0-9][0-9 ()/-]{4,24}$/

/** A telephone number as people write it: digits, spaces, brackets, slashes, dashes, a leading plus. */
export const phoneField: FieldType<string> = {
  read: (field, raw) => readText(field, raw),
  requiredKey: () => 'forms.error.required',
  validate: (field, text) =>
    checkText(field, text) ?? (PHONE.test(text) ? null : { key: 'forms.error.phone' }) ?? checkPattern(field, text),
  anchor: idAnchor,
  format: (_field, value) => asText(value),
  Input: props => <SingleInput {...props} type="tel" autocomplete="tel" />,
  example: () => '0231 500',
}
