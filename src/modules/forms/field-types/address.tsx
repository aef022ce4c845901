import { formText } from '../../../platform/http/form-input.js'
import { isAddress, type AddressAnswer } from '../forms.answers.js'
import type { FieldProblem, FieldType } from './field-type.js'
import { asText } from './field-type.js'
import { ErrorText, Hint, inputClassOf, LabelText } from './field-view.js'

const PARTS: (keyof AddressAnswer)[] = ['street', 'houseNumber', 'postalCode', 'city']

/** A German postal address in four inputs: street, house number, postcode (five digits), town. */
export const addressField: FieldType<AddressAnswer> = {
  read: (field, raw) => ({
    street: formText(raw, `${field.id}.street`),
    houseNumber: formText(raw, `${field.id}.houseNumber`),
    // "44 135" is the postcode 44135.
    postalCode: formText(raw, `${field.id}.postalCode`).replace(/\s+/g, ''),
    city: formText(raw, `${field.id}.city`),
  }),
  isEmpty: a => !a.street && !a.houseNumber && !a.postalCode && !a.city,
  requiredKey: () => 'forms.error.required',
  validate: (_field, a): FieldProblem | null => {
    const missing = PARTS.find(p => !a[p])
    if (missing) return { key: 'forms.error.addressPart', params: { part: missing }, part: missing }
    if (!/^\d{5}$/.test(a.postalCode)) return { key: 'forms.error.postalCode', part: 'postalCode' }
    if (PARTS.some(p => a[p].length > 120)) return { key: 'forms.error.tooLong', params: { max: 120 } }
    return null
  },
  anchor: (field, part) => `${field.id}.${part ?? 'street'}`,
  format: (_field, value) =>
    isAddress(value) ? `${value.street} ${value.houseNumber}, ${value.postalCode} ${value.city}` : asText(value),
  Input: ({ field, value, error, t }) => {
    const id = field.id
    const a = isAddress(value) ? value : { street: '', houseNumber: '', postalCode: '', city: '' }
    const part = (name: keyof AddressAnswer, label: string, autocomplete: string, width?: string) => (
      <div class="kern-form-input">
        <label class="kern-label" for={`${id}.${name}`} safe>
          {label}
        </label>
        <input
          class={`${inputClassOf(error)}${width ? ` kern-form-input__input--width-${width}` : ''}`}
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
        <Hint id={id} field={field} locale={t.locale} />
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
  },
  example: () => ({ street: 'Friedensplatz', houseNumber: '1', postalCode: '44135', city: 'Dortmund' }),
}
