import type { FieldInputProps } from './field-type.js'
import { describedBy, ErrorText, Hint, LabelText, tx } from './field-view.js'

/** Radio buttons or several checkboxes in a fieldset, one per option. */
export function OptionList({ field, value, error, t, multiple }: FieldInputProps & { multiple: boolean }) {
  const id = field.id
  const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  return (
    <fieldset
      class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
      aria-describedby={describedBy(id, field, error)}
    >
      <legend class="kern-label">
        <LabelText field={field} t={t} />
      </legend>
      <Hint id={id} field={field} locale={t.locale} />
      {/* In the body, which clears the floated legend; beside it the message would be squeezed into a narrow column. */}
      <div class="kern-fieldset__body">
        <ErrorText id={id} error={error} />
        {(field.options ?? []).map(o => (
          <div class="kern-form-check">
            <input
              class={multiple ? 'kern-form-check__checkbox' : 'kern-form-check__radio'}
              type={multiple ? 'checkbox' : 'radio'}
              id={`${id}-${o.value}`}
              name={id}
              value={o.value}
              checked={chosen.includes(o.value)}
            />
            <label class="kern-label" for={`${id}-${o.value}`} safe>
              {tx(o.label, t.locale)}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  )
}
