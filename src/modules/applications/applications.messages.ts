import type { Page } from '../catalogue/index.js'
import type { AnswerError } from '../forms/index.js'
import type { Locale, Translate } from '../../platform/i18n/i18n.js'

/** The problems with a page's answers as sentences naming the field, in the person's language. */
export function describeAnswerErrors(t: Translate, locale: Locale, page: Page, errors: AnswerError[]) {
  return errors.map(e => {
    const field = page.fields.find(f => f.id === e.fieldId)!
    const label = field.label[locale]
    const params = { ...e.params, label, part: e.params.part ? t.text(`forms.address.${e.params.part}`) : '' }
    const message =
      e.key === 'forms.error.patternCustom' && field.patternMessage
        ? field.patternMessage[locale]
        : t.text(e.key, params)
    return { fieldId: e.fieldId, anchor: e.anchor, message }
  })
}
