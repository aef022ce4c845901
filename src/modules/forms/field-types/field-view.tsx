import type { Field, Text } from '../../catalogue/index.js'
import type { Locale, Translate } from '../../../platform/i18n/i18n.js'
import type { FieldInputProps } from './field-type.js'

// The parts every field's input is built of, as KERN lays them out.

export const tx = (text: Text | undefined, locale: Locale) => (text ? text[locale] : '')

export function Hint({ id, field, locale }: { id: string; field: Field; locale: Locale }) {
  return field.hint ? (
    <div class="kern-hint" id={`${id}-hint`} safe>
      {tx(field.hint, locale)}
    </div>
  ) : (
    ''
  )
}

export function ErrorText({ id, error }: { id: string; error?: string }) {
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

export function LabelText({ field, t }: { field: Field; t: Translate }) {
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

export function describedBy(id: string, field: Field, error?: string) {
  return [field.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
}

/** The ARIA attributes of a single input. */
export function ariaOf(field: Field, error?: string) {
  return {
    'aria-describedby': describedBy(field.id, field, error),
    'aria-invalid': error ? 'true' : undefined,
    'aria-required': field.required ? 'true' : undefined,
  }
}

export const errorClassOf = (error?: string) => (error ? ' kern-form-input--error' : '')
export const inputClassOf = (error?: string) => `kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`

const autocompleteFor: Record<string, string> = {
  givenName: 'given-name',
  familyName: 'family-name',
  birthDate: 'bday',
  companyName: 'organization',
}

/** One `<input>` with its label, hint and error: text, e-mail, phone, number, date and IBAN fields. */
export function SingleInput({
  field,
  value,
  error,
  t,
  type,
  inputmode,
  autocomplete,
}: FieldInputProps & { type: string; inputmode?: string; autocomplete?: string }) {
  const id = field.id
  return (
    <div class={`kern-form-input${errorClassOf(error)}`}>
      <label class="kern-label" for={id}>
        <LabelText field={field} t={t} />
      </label>
      <Hint id={id} field={field} locale={t.locale} />
      <ErrorText id={id} error={error} />
      <input
        class={inputClassOf(error)}
        id={id}
        name={id}
        type={type}
        inputmode={inputmode}
        autocomplete={(field.prefill && autocompleteFor[field.prefill]) || autocomplete}
        value={typeof value === 'string' ? value : ''}
        {...ariaOf(field, error)}
      />
    </div>
  )
}
