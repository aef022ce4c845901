import type { FieldType } from './field-type.js'
import { asText, checkPattern, checkText, idAnchor, readText } from './field-type.js'
import { SingleInput } from './field-view.js'

/** One line of text; `pattern`, `minLength`, `maxLength` (default 500) and `normalize` shape it. */
export const textField: FieldType<string> = {
  read: (field, raw) => readText(field, raw),
  requiredKey: () => 'forms.error.required',
  validate: (field, text) => checkText(field, text) ?? checkPattern(field, text),
  anchor: idAnchor,
  format: (_field, value) => asText(value),
  Input: props => <SingleInput {...props} type="text" />,
  example: field => 'Beispiel'.padEnd(Math.max(field.minLength ?? 0, 8), 'x'),
}
