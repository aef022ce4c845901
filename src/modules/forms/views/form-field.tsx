import type { Field, Text } from '../../catalogue/index.js'
import type { Locale, Translate } from '../../../platform/i18n/i18n.js'
import { isAddress, isFileAnswer, type AnswerValue } from '../forms.answers.js'
import { formatAnswer } from './answer-format.js'

export interface FieldViewProps {
  field: Field
  value: AnswerValue | undefined
  error?: string
  t: Translate
  /** Taken from the account: shown, not asked. */
  prefilled?: boolean
}

const tx = (text: Text | undefined, locale: Locale) => (text ? text[locale] : '')

function Hint({ id, field, locale }: { id: string; field: Field; locale: Locale }) {
  return field.hint ? (
    <div class="kern-hint" id={`${id}-hint`} safe>
      {tx(field.hint, locale)}
    </div>
  ) : (
    ''
  )
}

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="kern-error" id={`${id}-error`}>
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
      <span class="kern-body" safe>
        {error}
      </span>
    </p>
  ) : (
    ''
  )
}

function LabelText({ field, t }: { field: Field; t: Translate }) {
  return (
    <>
      <span safe>{tx(field.label, t.locale)}</span>
      {field.required ? (
        ''
      ) : (
        <>
          {' '}
          <span class="kern-label__optional">{t('forms.optional')}</span>
        </>
      )}
    </>
  )
}

function describedBy(id: string, field: Field, error?: string) {
  return [field.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
}

const inputAttrs: Partial<Record<Field['type'], { type: string; inputmode?: string; autocomplete?: string }>> = {
  text: { type: 'text' },
  email: { type: 'email', autocomplete: 'email' },
  phone: { type: 'tel', autocomplete: 'tel' },
  number: { type: 'text', inputmode: 'decimal' },
  date: { type: 'date' },
  iban: { type: 'text', autocomplete: 'off', inputmode: 'text' },
}

const autocompleteFor: Record<string, string> = {
  givenName: 'given-name',
  familyName: 'family-name',
  birthDate: 'bday',
  companyName: 'organization',
}

export function FormField({ field, value, error, t, prefilled }: FieldViewProps) {
  const locale = t.locale
  const id = field.id
  if (prefilled) {
    return (
      <div class="kern-form-input prefilled">
        <span class="kern-label" safe>
          {tx(field.label, locale)}
        </span>
        <p class="kern-body">
          <strong safe>{formatAnswer(field, value, locale)}</strong>
        </p>
        <p class="kern-hint">{t('forms.prefilledFromAccount')}</p>
      </div>
    )
  }
  const errorClass = error ? ' kern-form-input--error' : ''
  const inputClass = `kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`
  const common = {
    'aria-describedby': describedBy(id, field, error),
    'aria-invalid': error ? 'true' : undefined,
    'aria-required': field.required ? 'true' : undefined,
  }
  switch (field.type) {
    case 'textarea': {
      const typed = typeof value === 'string' ? value : ''
      return (
        <div class={`kern-form-input${errorClass}`}>
          <label class="kern-label" for={id}>
            <LabelText field={field} t={t} />
          </label>
          <Hint id={id} field={field} locale={locale} />
          <ErrorText id={id} error={error} />
          <textarea class={inputClass} id={id} name={id} rows="6" {...common} safe>
            {typed}
          </textarea>
        </div>
      )
    }
    case 'select':
      return (
        <div class={`kern-form-input${errorClass}`}>
          <label class="kern-label" for={id}>
            <LabelText field={field} t={t} />
          </label>
          <Hint id={id} field={field} locale={locale} />
          <ErrorText id={id} error={error} />
          <div class="kern-form-input__select-wrapper">
            <select
              class={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
              id={id}
              name={id}
              {...common}
            >
              <option value="">{t('forms.selectPlaceholder')}</option>
              {(field.options ?? []).map(o => (
                <option value={o.value} selected={value === o.value} safe>
                  {tx(o.label, locale)}
                </option>
              ))}
            </select>
          </div>
        </div>
      )
    case 'radio':
    case 'checkbox': {
      const multiple = field.type === 'checkbox'
      if (multiple && !field.options) {
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
              {...common}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            <label class="kern-label" for={id}>
              <LabelText field={field} t={t} />
              {/* Inside the label, as KERN places it: a sibling would land in the grid's narrow checkbox column. */}
              {field.hint ? (
                <span class="kern-hint" id={`${id}-hint`} safe>
                  {tx(field.hint, locale)}
                </span>
              ) : (
                ''
              )}
            </label>
          </div>
        )
      }
      const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
      return (
        <fieldset
          class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
          aria-describedby={describedBy(id, field, error)}
        >
          <legend class="kern-label">
            <LabelText field={field} t={t} />
          </legend>
          <Hint id={id} field={field} locale={locale} />
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
                  {tx(o.label, locale)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      )
    }
    case 'address': {
      const a = isAddress(value) ? value : { street: '', houseNumber: '', postalCode: '', city: '' }
      const part = (name: keyof typeof a, label: string, autocomplete: string, width?: string) => (
        <div class="kern-form-input">
          <label class="kern-label" for={`${id}.${name}`} safe>
            {label}
          </label>
          <input
            class={`${inputClass}${width ? ` kern-form-input__input--width-${width}` : ''}`}
            id={`${id}.${name}`}
            name={`${id}.${name}`}
            type="text"
            value={a[name]}
            autocomplete={autocomplete}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
      )
      return (
        <fieldset class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}>
          <legend class="kern-label">
            <LabelText field={field} t={t} />
          </legend>
          <Hint id={id} field={field} locale={locale} />
          <div class="kern-fieldset__body">
            <ErrorText id={id} error={error} />
            <div class="address-group">
              {part('street', t.text('forms.address.street'), 'address-line1')}
              {part('houseNumber', t.text('forms.address.houseNumber'), 'off')}
            </div>
            <div class="address-group">
              {part('city', t.text('forms.address.city'), 'address-level2')}
              {part('postalCode', t.text('forms.address.postalCode'), 'postal-code')}
            </div>
          </div>
        </fieldset>
      )
    }
    case 'file': {
      const existing = isFileAnswer(value) ? value : null
      return (
        <div class={`kern-form-input${errorClass}`}>
          <label class="kern-label" for={id}>
            <LabelText field={field} t={t} />
          </label>
          <div class="kern-hint" id={`${id}-hint`}>
            {field.hint ? <span safe>{`${tx(field.hint, locale)} `}</span> : ''}
            <span>
              {t('forms.fileLimits', {
                types: (field.accept ?? ['application/pdf', 'image/jpeg', 'image/png'])
                  .map(m => m.split('/')[1]!.toUpperCase())
                  .join(', '),
                size: field.maxSizeMb ?? 10,
              })}
            </span>
          </div>
          <ErrorText id={id} error={error} />
          {existing ? (
            <>
              <p class="kern-body">{t('forms.fileUploaded', { name: existing.filename })}</p>
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  id={`${id}.remove`}
                  name={`${id}.remove`}
                  value="yes"
                />
                <label class="kern-label" for={`${id}.remove`}>
                  {t('forms.fileRemove')}
                </label>
              </div>
            </>
          ) : (
            ''
          )}
          <input
            class={inputClass}
            id={id}
            name={id}
            type="file"
            accept={(field.accept ?? ['application/pdf', 'image/jpeg', 'image/png']).join(',')}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
      )
    }
    default: {
      const attrs = inputAttrs[field.type] ?? { type: 'text' }
      return (
        <div class={`kern-form-input${errorClass}`}>
          <label class="kern-label" for={id}>
            <LabelText field={field} t={t} />
          </label>
          <Hint id={id} field={field} locale={locale} />
          <ErrorText id={id} error={error} />
          <input
            class={inputClass}
            id={id}
            name={id}
            type={attrs.type}
            inputmode={attrs.inputmode}
            autocomplete={(field.prefill && autocompleteFor[field.prefill]) || attrs.autocomplete}
            value={typeof value === 'string' ? value : ''}
            {...common}
          />
        </div>
      )
    }
  }
}
