import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, SubmitButton } from '../../../platform/views/components.js'
import { formatAnswer, isAddress, type AnswerValue, type Answers } from '../../forms/index.js'
import type { Field } from '../../catalogue/index.js'
import type { Locale } from '../../../platform/i18n/i18n.js'
import {
  hasAnswer,
  PREFILL_APPLY,
  PREFILL_DOCUMENT,
  PREFILL_MAX_TEXT,
  PREFILL_TEXT,
  type PrefillState,
} from '../applications.prefill.js'

/** An answer as text; a half-typed address without its empty parts. */
function shown(field: Field, value: AnswerValue | undefined, locale: Locale): string {
  if (!isAddress(value)) return formatAnswer(field, value, locale)
  return [`${value.street} ${value.houseNumber}`.trim(), `${value.postalCode} ${value.city}`.trim()]
    .filter(Boolean)
    .join(', ')
}

/**
 * "Take details from a text", inside the page's form so everything typed travels along; collapsed until used.
 * It comes after the page's own buttons so that Enter in a field still means "Continue".
 */
export function PrefillSection({ ctx, state, answers }: { ctx: PageContext; state?: PrefillState; answers: Answers }) {
  const { t } = ctx
  const l = ctx.locale
  const textError = state?.error?.anchor === 'prefill-text' ? state.error.message : undefined
  const fileError = state?.error?.anchor === 'prefill-document' ? state.error.message : undefined
  const proposals = state?.proposals
  return (
    <details class="kern-accordion" id="prefill" open={!!state && (!state.applied || !!state.error)}>
      <summary class="kern-accordion__header">
        <span class="kern-title">{t('applications.prefill.title')}</span>
      </summary>
      <div class="kern-accordion__body stack">
        <p class="kern-body">{t('applications.prefill.intro')}</p>
        <div class={`kern-form-input${textError ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="prefill-text">
            {t('applications.prefill.text')} <span class="kern-label__optional">{t('forms.optional')}</span>
          </label>
          <div class="kern-hint" id="prefill-text-hint">
            {t('applications.prefill.textHint', {
              max: PREFILL_MAX_TEXT.toLocaleString(l === 'de' ? 'de-DE' : 'en-GB'),
            })}
          </div>
          {textError ? (
            <p class="kern-error" id="prefill-text-error">
              <span class="kern-body" safe>
                {textError}
              </span>
            </p>
          ) : (
            ''
          )}
          <textarea
            class={`kern-form-input__input${textError ? ' kern-form-input__input--error' : ''}`}
            id="prefill-text"
            name={PREFILL_TEXT}
            rows="6"
            aria-describedby={`prefill-text-hint${textError ? ' prefill-text-error' : ''}`}
            aria-invalid={textError ? 'true' : undefined}
            safe
          >
            {state?.text ?? ''}
          </textarea>
        </div>
        <div class={`kern-form-input${fileError ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="prefill-document">
            {t('applications.prefill.file')} <span class="kern-label__optional">{t('forms.optional')}</span>
          </label>
          <div class="kern-hint" id="prefill-document-hint">
            {t('applications.prefill.fileHint')}
          </div>
          {fileError ? (
            <p class="kern-error" id="prefill-document-error">
              <span class="kern-body" safe>
                {fileError}
              </span>
            </p>
          ) : (
            ''
          )}
          <input
            class="kern-form-input__input"
            type="file"
            id="prefill-document"
            name={PREFILL_DOCUMENT}
            accept=".txt,.pdf,text/plain,application/pdf"
            aria-describedby={`prefill-document-hint${fileError ? ' prefill-document-error' : ''}`}
            aria-invalid={fileError ? 'true' : undefined}
          />
        </div>
        <div class="form-actions">
          <SubmitButton
            label={t.text('applications.prefill.detect')}
            name="action"
            value="detect"
            variant="secondary"
          />
        </div>
        {state?.fromDocument ? <p class="kern-body">{t('applications.prefill.fromDocument')}</p> : ''}
        {proposals && proposals.length === 0 ? <Alert kind="info" title={t.text('applications.prefill.none')} /> : ''}
        {proposals && proposals.length > 0 ? (
          <fieldset class="kern-fieldset" id="prefill-proposals">
            <legend class="kern-label">{t('applications.prefill.proposals')}</legend>
            <p class="kern-hint">{t('applications.prefill.proposalsHint')}</p>
            <div class="kern-fieldset__body">
              {proposals.map((p, i) => {
                const current = answers[p.field.id]
                const id = `prefill-apply-${i}`
                // The hints sit below the check, not inside it: the check's grid leaves them a narrow column.
                return (
                  <div>
                    <div class="kern-form-check">
                      <input
                        class="kern-form-check__checkbox"
                        type="checkbox"
                        id={id}
                        name={PREFILL_APPLY}
                        value={p.key}
                        checked={state?.ticked?.includes(p.key) ?? false}
                        aria-describedby={`${id}-where${hasAnswer(current) ? ` ${id}-current` : ''}`}
                      />
                      <label class="kern-label" for={id}>
                        <span safe>
                          {t.text('applications.prefill.take', {
                            label: p.field.label[l],
                            value: shown(p.field, p.value, l),
                          })}
                        </span>
                      </label>
                    </div>
                    <div class="kern-hint" id={`${id}-where`}>
                      {t('applications.prefill.foundIn')} „<span safe>{p.excerpt.before}</span>
                      <mark safe>{p.excerpt.found}</mark>
                      <span safe>{p.excerpt.after}</span>“
                    </div>
                    {hasAnswer(current) ? (
                      <div class="kern-hint" id={`${id}-current`} safe>
                        {t.text('applications.prefill.current', { value: shown(p.field, current, l) })}
                      </div>
                    ) : (
                      ''
                    )}
                  </div>
                )
              })}
            </div>
            <div class="form-actions">
              <SubmitButton
                label={t.text('applications.prefill.apply')}
                name="action"
                value="apply"
                variant="secondary"
              />
            </div>
          </fieldset>
        ) : (
          ''
        )}
      </div>
    </details>
  )
}
