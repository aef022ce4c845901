import { formText } from '../../../platform/http/form-input.js'
import type { FieldType } from './field-type.js'
import { asText, optionLabel } from './field-type.js'
import { OptionList } from './choice-view.js'
import { ErrorText, LabelText, tx } from './field-view.js'

const all = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(s => s.trim()).filter(Boolean)

/** With `options`: any number of them ticked (a list). Without: one box to confirm, stored as "yes" or "". */
export const checkboxField: FieldType<string | string[]> = {
  read: (field, raw) => (field.options ? all(raw[field.id]) : formText(raw, field.id) === 'yes' ? 'yes' : ''),
  requiredKey: field => (field.options ? 'forms.error.choose' : 'forms.error.mustConfirm'),
  validate: (field, value) => {
    if (!field.options) return value === 'yes' ? null : { key: 'forms.error.mustConfirm' }
    return (value as string[]).every(v => field.options!.some(o => o.value === v))
      ? null
      : { key: 'forms.error.choose' }
  },
  anchor: field => (field.options ? `${field.id}-${field.options[0]!.value}` : field.id),
  format: (field, value, locale) => {
    if (Array.isArray(value)) return value.map(v => optionLabel(field, v, locale)).join(', ')
    if (typeof value !== 'string') return asText(value)
    return value === 'yes' ? (locale === 'de' ? 'Ja' : 'Yes') : locale === 'de' ? 'Nein' : 'No'
  },
  Input: props => {
    if (props.field.options) return <OptionList {...props} multiple={true} />
    const { field, value, error, t } = props
    const id = field.id
    return (
      <div class={`kern-form-check${error ? ' kern-form-check--error' : ''}`}>
        <ErrorText id={id} error={error} />
        <input
          class={`kern-form-check__checkbox${error ? ' kern-form-check__checkbox--error' : ''}`}
          type="checkbox"
          id={id}
          name={id}
          value="yes"
          checked={value === 'yes'}
          aria-describedby={error ? `${id}-error` : undefined}
          aria-invalid={error ? 'true' : undefined}
          aria-required={field.required ? 'true' : undefined}
        />
        <label class="kern-label" for={id}>
          <LabelText field={field} t={t} />
          {/* Inside the label, as KERN places it: a sibling would land in the grid's narrow checkbox column. */}
          {field.hint ? (
            <span class="kern-hint" id={`${id}-hint`} safe>
              {tx(field.hint, t.locale)}
            </span>
          ) : (
            ''
          )}
        </label>
      </div>
    )
  },
  example: field => (field.options ? [field.options[0]!.value] : 'yes'),
}
