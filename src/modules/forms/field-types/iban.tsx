import * as ibantools from 'ibantools'
import type { FieldType } from './field-type.js'
import { asText, idAnchor, readText } from './field-type.js'
import { SingleInput } from './field-view.js'

const normalize = (text: string) => text.replace(/[\s-]+/g, '').toUpperCase()

/** A bank account (IBAN), checked by its check digits, stored without spaces in capitals. */
export const ibanField: FieldType<string> = {
  read: (field, raw) => readText(field, raw, normalize),
  normalize,
  requiredKey: () => 'forms.error.required',
  validate: (_field, text) => {
    const iban = ibantools.electronicFormatIBAN(text) ?? ''
    return ibantools.isValidIBAN(iban) ? null : { key: 'forms.error.iban' }
  },
  anchor: idAnchor,
  // Read in groups of four, as printed on a bank card.
  format: (_field, value) =>
    typeof value === 'string' ? (ibantools.friendlyFormatIBAN(value) ?? value) : asText(value),
  Input: props => <SingleInput {...props} type="text" autocomplete="off" inputmode="text" />,
  example: () => 'DE02120300000000202051',
}
