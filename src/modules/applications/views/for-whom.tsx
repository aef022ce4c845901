import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { BackLink, CsrfField, ErrorSummary, SubmitButton } from '../../../platform/views/components.js'
import { formatDate } from '../../../platform/i18n/i18n.js'
import type { ServiceDefinition } from '../../catalogue/index.js'
import type { OnBehalfOption } from '../../mandates/index.js'

/** The value a choice posts: `mandate:<id>` or `business:<id>` ("self" for the person themselves). */
export function choiceValue(option: OnBehalfOption): string {
  return `${option.type}:${option.id}`
}

/** "Für wen stellen Sie diesen Antrag?": before the form, for a person who may act for someone else. */
export function ForWhomPage({
  ctx,
  definition,
  choices,
  includeSelf,
  error,
}: {
  ctx: PageContext
  definition: ServiceDefinition
  choices: OnBehalfOption[]
  includeSelf: boolean
  error: boolean
}) {
  const { t } = ctx
  const l = ctx.locale
  const title = t.text('applications.forWhom.title')
  const errors = error ? [{ fieldId: 'for', message: t.text('applications.forWhom.error'), anchor: 'for-0' }] : []
  const options = [
    ...(includeSelf ? [{ value: 'self', label: t.text('applications.forWhom.self'), hint: '' }] : []),
    ...choices.map(c => ({
      value: choiceValue(c),
      label: c.name,
      hint:
        c.type === 'mandate'
          ? t.text('applications.forWhom.mandateHint', {
              kind: t.text(`mandates.kind.${c.kind}`),
              date: formatDate(c.birthDate, l),
            })
          : t.text('applications.forWhom.businessHint', { role: t.text(`mandates.role.${c.role}`) }),
    })),
  ]
  return (
    <Layout ctx={ctx} title={error ? `${t.text('accounts.errorPrefix')} ${title}` : title}>
      <div class="stack">
        <BackLink href={`/services/${definition.id}`} label={definition.title[l]} />
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action={`/services/${definition.id}/applications`} class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="asked" value="1" />
          <fieldset class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} id="for">
            <legend class="kern-label">
              <h1 class="kern-heading-large" safe>
                {title}
              </h1>
            </legend>
            <p class="kern-hint" id="for-hint" safe>
              {definition.title[l]}
            </p>
            {error ? (
              <p class="kern-error" id="for-error" role="alert">
                <span class="kern-body">{t('applications.forWhom.error')}</span>
              </p>
            ) : (
              ''
            )}
            <div class="kern-fieldset__body">
              {options.map((o, i) => (
                <div class="kern-form-check">
                  <input class="kern-form-check__radio" type="radio" id={`for-${i}`} name="for" value={o.value} />
                  <label class="kern-label" for={`for-${i}`}>
                    <span safe>{o.label}</span>
                    {o.hint ? (
                      <span class="kern-hint" safe>
                        {o.hint}
                      </span>
                    ) : (
                      ''
                    )}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <div class="form-actions">
            <SubmitButton label={t.text('applications.forWhom.continue')} />
          </div>
        </form>
      </div>
    </Layout>
  )
}
