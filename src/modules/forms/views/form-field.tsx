import type { Field } from '../../catalogue/index.js'
import type { Translate } from '../../../platform/i18n/i18n.js'
import type { AnswerValue } from '../forms.answers.js'
import { fieldTypeOf } from '../field-types/index.js'
import { tx } from '../field-types/field-view.js'
import { formatAnswer } from './answer-format.js'

export interface FieldViewProps {
  field: Field
  value: AnswerValue | undefined
  error?: string
  t: Translate
  /** Taken from the account: shown, not asked. */
  prefilled?: boolean
}

export function FormField({ field, value, error, t, prefilled }: FieldViewProps) {
  const locale = t.locale
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
  return fieldTypeOf(field).Input({ field, value, error, t })
}
