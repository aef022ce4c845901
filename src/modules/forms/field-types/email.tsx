import type { FieldType } from './field-type.js'
import { asText, checkPattern, checkText, idAnchor, readText } from './field-type.js'
import { SingleInput } from './field-view.js'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
// Accounts are matched in small letters too, and mail providers ignore the case.
const normalize = (text: string) => text.toLowerCase()

/** An e-mail address, stored in small letters. */
export const emailField: FieldType<string> = {
  read: (field, raw) => readText(field, raw, normalize),
  normalize,
  requiredKey: () => 'forms.error.required',
  validate: (field, text) =>
    checkText(field, text) ?? (EMAIL.test(text) ? null : { key: 'forms.error.email' }) ?? checkPattern(field, text),
  anchor: idAnchor,
  format: (_field, value) => asText(value),
  Input: props => <SingleInput {...props} type="email" autocomplete="email" />,
  example: () => 'erika.mustermann@example.org',
}
