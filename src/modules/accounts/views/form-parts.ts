import type { FieldError } from '../../../platform/views/components.js'
import type { Translate } from '../../../platform/i18n/i18n.js'

export const errorFor = (errors: FieldError[], fieldId: string) => errors.find(e => e.fieldId === fieldId)?.message

/** Page title with the error prefix, so screen readers hear at once that the form came back. */
export const titleOf = (t: Translate, key: string, errors: FieldError[]) =>
  `${errors.length ? `${t.text('accounts.errorPrefix')} ` : ''}${t.text(key)}`

export const optionalLabel = (t: Translate, key: string) => `${t.text(key)} ${t.text('accounts.optional')}`
