import type { FieldType } from './field-type.js'
import { asText, idAnchor, optionLabel, readText } from './field-type.js'
import { ariaOf, ErrorText, errorClassOf, Hint, LabelText, tx } from './field-view.js'

/** One of the `options`, from a drop-down list. */
export const selectField: FieldType<string> = {
  read: (field, raw) => readText(field, raw),
  requiredKey: () => 'forms.error.choose',
  validate: (field, value) => (field.options?.some(o => o.value === value) ? null : { key: 'forms.error.choose' }),
  anchor: idAnchor,
  format: (field, value, locale) =>
    Array.isArray(value)
      ? value.map(v => optionLabel(field, v, locale)).join(', ')
      : typeof value === 'string'
        ? optionLabel(field, value, locale)
        : asText(value),
  Input: ({ field, value, error, t }) => {
    const id = field.id
    return (
      <div class={`kern-form-input${errorClassOf(error)}`}>
        <label class="kern-label" for={id}>
          <LabelText field={field} t={t} />
        </label>
        <Hint id={id} field={field} locale={t.locale} />
        <ErrorText id={id} error={error} />
        <div class="kern-form-input__select-wrapper">
          <select
            class={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
            id={id}
            name={id}
            {...ariaOf(field, error)}
          >
            <option value="">{t('forms.selectPlaceholder')}</option>
            {(field.options ?? []).map(o => (
              <option value={o.value} selected={value === o.value} safe>
                {tx(o.label, t.locale)}
              </option>
            ))}
          </select>
        </div>
      </div>
    )
  },
  example: field => field.options![0]!.value,
}
