import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField, ErrorSummary, SubmitButton, type FieldError } from '../../../platform/views/components.js'
import { formatDateTime } from '../../../platform/i18n/i18n.js'
import type { ExtractedFact } from '../triage.extract.js'
import { displayValue } from '../triage.extract.js'
import type { RoutingSuggestion } from '../triage.service.js'
import type { TriageKind } from '../triage.queries.js'
import type { HeldOutFigures } from '../triage.model.js'

export interface TriageState {
  kind: TriageKind
  text: string
  errors: FieldError[]
  suggestion?: RoutingSuggestion
  facts?: ExtractedFact[]
  /** Indices of the facts the person confirmed; undefined until they pressed "confirm". */
  confirmed?: number[]
  recorded?: { label: string; office: string }
}

const pct = (v: number, locale: string) =>
  new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(v)

export function TriagePage({
  ctx,
  state,
  labels,
  decisionRefused,
  officeName,
  minConfidence,
  modelInfo,
}: {
  ctx: PageContext
  state: TriageState
  /** What this person may decide (their offices' labels, or all with the triage role). */
  labels: { label: string; office: string }[]
  /** The model has labels, none of which this person may decide. */
  decisionRefused: boolean
  officeName: (id: string) => string
  minConfidence: number
  modelInfo: { version: number; trainedAt: string; examples: number; heldOut?: HeldOutFigures } | null
}) {
  const { t } = ctx
  const labelName = (label: string) =>
    state.kind === 'contact'
      ? officeName(label)
      : t.text(`triage.category.${label}`) === `triage.category.${label}`
        ? label
        : t.text(`triage.category.${label}`)
  const textError = state.errors.find(e => e.fieldId === 'text')?.message
  const fileError = state.errors.find(e => e.fieldId === 'document')?.message
  const s = state.suggestion
  const top = s?.suggestions[0]
  return (
    <Layout
      ctx={ctx}
      title={`${state.errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${t.text('triage.page.title')}`}
      area="backoffice"
    >
      <ErrorSummary ctx={ctx} errors={state.errors} />
      <div class="stack">
        <h1 class="kern-heading-large">{t('triage.page.title')}</h1>
        <p class="kern-body">{t('triage.page.intro', { threshold: pct(minConfidence, ctx.locale) })}</p>
        {modelInfo ? (
          <p class="kern-body kern-body--small">
            {t('triage.page.model', {
              version: modelInfo.version,
              examples: modelInfo.examples,
              trainedAt: formatDateTime(modelInfo.trainedAt, ctx.locale),
              accuracy: modelInfo.heldOut ? pct(modelInfo.heldOut.accuracy, ctx.locale) : '–',
            })}
          </p>
        ) : (
          <Alert kind="warning" title={t.text('triage.page.noModel')} />
        )}
        <form method="post" action="/backoffice/triage" enctype="multipart/form-data" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{t('triage.form.kind')}</legend>
            <div class="kern-fieldset__body">
              {(['report', 'contact'] as const).map(k => (
                <div class="kern-form-check">
                  <input
                    class="kern-form-check__radio"
                    type="radio"
                    id={`kind-${k}`}
                    name="kind"
                    value={k}
                    checked={state.kind === k}
                  />
                  <label class="kern-label" for={`kind-${k}`}>
                    {t(`triage.form.kind.${k}`)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <div class={`kern-form-input${textError ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="text">
              {t('triage.form.text')}
            </label>
            <div class="kern-hint" id="text-hint">
              {t('triage.form.textHint')}
            </div>
            {textError ? (
              <p class="kern-error" id="text-error" role="alert">
                <span class="kern-body" safe>
                  {textError}
                </span>
              </p>
            ) : (
              ''
            )}
            <textarea
              class="kern-form-input__input"
              id="text"
              name="text"
              rows="8"
              aria-describedby={`text-hint${textError ? ' text-error' : ''}`}
              aria-invalid={textError ? 'true' : undefined}
              safe
            >
              {state.text}
            </textarea>
          </div>
          <div class={`kern-form-input${fileError ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="document">
              {t('triage.form.file')}
            </label>
            <div class="kern-hint" id="document-hint">
              {t('triage.form.fileHint')}
            </div>
            {fileError ? (
              <p class="kern-error" id="document-error" role="alert">
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
              id="document"
              name="document"
              accept=".txt,.pdf,text/plain,application/pdf"
              aria-describedby={`document-hint${fileError ? ' document-error' : ''}`}
            />
          </div>
          <SubmitButton label={t.text('triage.form.submit')} />
        </form>

        {state.recorded ? (
          <Alert
            kind="success"
            title={t.text('triage.decision.recorded', {
              label: labelName(state.recorded.label),
              office: officeName(state.recorded.office),
            })}
          />
        ) : (
          ''
        )}

        {s ? (
          <section class="stack" aria-labelledby="suggestion-title">
            <h2 class="kern-heading-medium" id="suggestion-title">
              {t('triage.result.title')}
            </h2>
            {top ? (
              s.confident ? (
                <Alert
                  kind="success"
                  title={t.text('triage.result.confident', {
                    label: labelName(top.label),
                    office: officeName(top.office),
                    probability: pct(top.probability, ctx.locale),
                  })}
                />
              ) : (
                <Alert
                  kind="warning"
                  title={t.text('triage.result.notConfident', { threshold: pct(minConfidence, ctx.locale) })}
                />
              )
            ) : (
              <Alert kind="warning" title={t.text('triage.page.noModel')} />
            )}
            {s.suggestions.length ? (
              <table class="kern-table">
                <caption class="kern-title">{t('triage.result.suggestions')}</caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th class="kern-table__header" scope="col">
                      {t('triage.result.label')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('triage.result.office')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('triage.result.probability')}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {s.suggestions.map(x => (
                    <tr class="kern-table__row">
                      <td class="kern-table__cell" safe>
                        {labelName(x.label)}
                      </td>
                      <td class="kern-table__cell" safe>
                        {officeName(x.office)}
                      </td>
                      <td class="kern-table__cell" safe>
                        {pct(x.probability, ctx.locale)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              ''
            )}
            <h3 class="kern-heading-small">{t('triage.result.explanation')}</h3>
            {s.explanation.length ? (
              <ul class="kern-list" id="explanation">
                {s.explanation.map(e => (
                  <li safe>{`${e.term} (+${e.weight.toFixed(2)})`}</li>
                ))}
              </ul>
            ) : (
              <p class="kern-body">{t('triage.result.noExplanation')}</p>
            )}
            {labels.length ? (
              <form method="post" action="/backoffice/triage/decision" class="stack">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="kind" value={state.kind} />
                <input type="hidden" name="text" value={state.text} />
                <input type="hidden" name="suggested" value={top?.label ?? ''} />
                <div class="kern-form-input">
                  <label class="kern-label" for="label">
                    {t('triage.decision.label')}
                  </label>
                  <select class="kern-form-input__select" id="label" name="label">
                    {labels.map(l => (
                      <option
                        value={l.label}
                        selected={l.label === top?.label}
                        safe
                      >{`${labelName(l.label)} – ${officeName(l.office)}`}</option>
                    ))}
                  </select>
                </div>
                <SubmitButton label={t.text('triage.decision.submit')} variant="secondary" />
              </form>
            ) : decisionRefused ? (
              <p class="kern-body" id="decision-refused">
                {t('triage.decision.notAllowed')}
              </p>
            ) : (
              ''
            )}
          </section>
        ) : (
          ''
        )}

        {state.facts ? (
          <section class="stack" aria-labelledby="facts-title">
            <h2 class="kern-heading-medium" id="facts-title">
              {t('triage.facts.title')}
            </h2>
            <p class="kern-body">{t('triage.facts.hint')}</p>
            {state.facts.length ? (
              <form method="post" action="/backoffice/triage" class="stack">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="kind" value={state.kind} />
                <input type="hidden" name="text" value={state.text} />
                <input type="hidden" name="action" value="confirm" />
                <fieldset class="kern-fieldset">
                  <legend class="kern-label">{t('triage.facts.legend')}</legend>
                  <div class="kern-fieldset__body">
                    {state.facts.map((f, i) => (
                      <div class="kern-form-check">
                        <input
                          class="kern-form-check__checkbox"
                          type="checkbox"
                          id={`fact-${i}`}
                          name="confirm"
                          value={String(i)}
                          checked={state.confirmed?.includes(i) ?? false}
                        />
                        <label
                          class="kern-label"
                          for={`fact-${i}`}
                          safe
                        >{`${t.text(`triage.fact.${f.kind}`)}: ${displayValue(f)} („${f.text}“)`}</label>
                      </div>
                    ))}
                  </div>
                </fieldset>
                <SubmitButton label={t.text('triage.facts.confirm')} variant="secondary" />
              </form>
            ) : (
              <p class="kern-body">{t('triage.facts.none')}</p>
            )}
            {state.confirmed ? (
              <section aria-labelledby="confirmed-title" class="stack">
                <h3 class="kern-heading-small" id="confirmed-title">
                  {t('triage.facts.confirmedTitle')}
                </h3>
                {state.confirmed.length ? (
                  <dl class="kern-description-list" id="confirmed-facts">
                    {state.confirmed
                      .map(i => state.facts![i]!)
                      .map(f => (
                        <div class="kern-description-list-item">
                          <dt class="kern-description-list-item__key" safe>
                            {t.text(`triage.fact.${f.kind}`)}
                          </dt>
                          <dd class="kern-description-list-item__value" safe>
                            {displayValue(f)}
                          </dd>
                        </div>
                      ))}
                  </dl>
                ) : (
                  <p class="kern-body">{t('triage.facts.noneConfirmed')}</p>
                )}
              </section>
            ) : (
              ''
            )}
          </section>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}
