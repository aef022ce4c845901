import type { FieldType } from './field-type.js'
import { asText, checkPattern, checkText, idAnchor, readText } from './field-type.js'
import { ariaOf, ErrorText, errorClassOf, Hint, inputClassOf, LabelText } from './field-view.js'

const MAX_TEXTAREA = 5000

/** Several lines of free text (default at most 5,000 characters). */
export const textareaField: FieldType<string> = {
  read: (field, raw) => readText(field, raw),
  requiredKey: () => 'forms.error.required',
  validate: (field, text) => checkText(field, text, MAX_TEXTAREA) ?? checkPattern(field, text),
  anchor: idAnchor,
  format: (_field, value) => asText(value),
  Input: ({ field, value, error, t }) => {
    const id = field.id
    const typed = typeof value === 'string' ? value : ''
    return (
      <div class={`kern-form-input${errorClassOf(error)}`}>
        <label class="kern-label" for={id}>
          <LabelText field={field} t={t} />
        </label>
        <Hint id={id} field={field} locale={t.locale} />
        <ErrorText id={id} error={error} />
        <textarea class={inputClassOf(error)} id={id} name={id} rows="6" {...ariaOf(field, error)} safe>
          {typed}
        </textarea>
      </div>
    )
  },
  example: field => 'Beispiel'.padEnd(Math.max(field.minLength ?? 0, 8), 'x'),
}
