import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  CsrfField,
  ErrorSummary,
  ProofOfWorkField,
  SubmitButton,
  type FieldError,
} from '../../../platform/views/components.js'
import type { Page, ServiceDefinition } from '../../catalogue/index.js'
import { FormField } from '../../forms/index.js'

export interface ContactFormState {
  /** What the person typed, as typed. */
  values: Record<string, string>
  errors: FieldError[]
  /** Minutes to wait when too many enquiries came from here. */
  rateLimitedMinutes?: number
}

/** /kontakt: one question in the person's own words; works as a plain form. */
export function ContactFormPage({
  ctx,
  definition,
  page,
  form,
}: {
  ctx: PageContext
  definition: ServiceDefinition
  page: Page
  form: ContactFormState
}) {
  const { t } = ctx
  const signedIn = !!ctx.account
  const textField = definition.routing!.textField
  const fields = signedIn ? page.fields.filter(f => f.id === textField) : page.fields
  return (
    <Layout
      ctx={ctx}
      title={`${form.errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${t.text('contact.form.title')}`}
    >
      <ErrorSummary ctx={ctx} errors={form.errors} />
      {form.rateLimitedMinutes ? (
        <div class="kern-alert kern-alert--danger" role="alert" id="rate-limited">
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
            <h2 class="kern-title">{t('contact.errors.rateLimitedTitle')}</h2>
          </div>
          <div class="kern-alert__body">
            <p class="kern-body">{t('contact.errors.rateLimited', { minutes: form.rateLimitedMinutes })}</p>
          </div>
        </div>
      ) : (
        ''
      )}
      <h1 class="kern-heading-large">{t('contact.form.title')}</h1>
      <p class="kern-body">{t('contact.form.intro')}</p>
      <p class="kern-body">{t('contact.form.routingNote')}</p>
      <form method="post" action="/kontakt" class="stack" novalidate id="contact-form">
        <CsrfField ctx={ctx} />
        {ctx.account ? '' : <ProofOfWorkField />}
        {fields.map(field => (
          <FormField
            field={field}
            value={form.values[field.id] ?? ''}
            error={form.errors.find(e => e.fieldId === field.id)?.message}
            t={t}
          />
        ))}
        {signedIn ? <p class="kern-body">{t('contact.form.signedIn', { name: ctx.account!.displayName })}</p> : ''}
        <div class="form-actions">
          <SubmitButton label={t.text('contact.form.submit')} />
        </div>
      </form>
      <p class="kern-body">{t('contact.form.elsewhere')}</p>
    </Layout>
  )
}

/** After sending: the reference, where the enquiry is, and how the answer comes. */
export function ContactThanksPage({
  ctx,
  reference,
  officeName,
  channel,
}: {
  ctx: PageContext
  reference: string
  officeName: string
  channel: 'postbox' | 'email' | 'none'
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('contact.thanks.title')}>
      <div class="stack">
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--success" aria-hidden="true"></span>
            <h1 class="kern-title">{t('contact.thanks.title')}</h1>
          </div>
          <div class="kern-alert__body">
            <p class="kern-body kern-body--large">
              {t('contact.thanks.reference')}{' '}
              <strong class="case-reference" safe>
                {reference}
              </strong>
            </p>
          </div>
        </div>
        <p class="kern-body">{t('contact.thanks.office', { office: officeName })}</p>
        <p class="kern-body">{t(`contact.thanks.channel.${channel}`)}</p>
        <ul class="kern-list">
          <li>
            <a class="kern-link" href="/kontakt">
              {t('contact.thanks.another')}
            </a>
          </li>
          <li>
            <a class="kern-link" href="/services">
              {t('contact.thanks.catalogue')}
            </a>
          </li>
        </ul>
      </div>
    </Layout>
  )
}
