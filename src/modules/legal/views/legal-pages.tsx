import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  CsrfField,
  ErrorSummary,
  ProofOfWorkField,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { formatDate } from '../../../platform/i18n/i18n.js'
import type { City, LocalizedText } from '../legal.city.js'

type Contact = City['imprint']['responsibleForContent']

const local = (text: LocalizedText, ctx: PageContext) => text[ctx.locale]

/** A postal address with phone, mail and web, as the legal pages show every body they name. */
function ContactBlock({ contact, ctx }: { contact: Contact; ctx: PageContext }) {
  const { t } = ctx
  return (
    <address class="kern-body">
      <strong safe>{local(contact.name, ctx)}</strong>
      {contact.address.map(line => (
        <>
          <br />
          <span safe>{line}</span>
        </>
      ))}
      {contact.phone ? (
        <>
          <br />
          {t('legal.phone', { phone: contact.phone })}
        </>
      ) : (
        ''
      )}
      <br />
      {t('legal.email')}{' '}
      <a class="kern-link" href={`mailto:${contact.email}`} safe>
        {contact.email}
      </a>
      {contact.website ? (
        <>
          <br />
          {t('legal.website', { website: contact.website })}
        </>
      ) : (
        ''
      )}
    </address>
  )
}

/** /impressum: § 5 DDG. */
export function ImprintPage({ ctx, city }: { ctx: PageContext; city: City }) {
  const { t } = ctx
  const cityContact: Contact = {
    name: city.name,
    address: city.address,
    phone: city.phone,
    email: city.email,
    website: city.website,
  }
  return (
    <Layout ctx={ctx} title={t.text('legal.imprint.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('legal.imprint.title')}</h1>
        <p class="kern-body">{t('legal.imprint.intro')}</p>
        <h2 class="kern-heading-medium">{t('legal.imprint.provider')}</h2>
        <ContactBlock contact={cityContact} ctx={ctx} />
        <h2 class="kern-heading-medium">{t('legal.imprint.representation')}</h2>
        <p class="kern-body" safe>
          {local(city.imprint.legalForm, ctx)}
        </p>
        <p class="kern-body" safe>
          {local(city.imprint.representedBy, ctx)}
        </p>
        {city.imprint.vatId ? <p class="kern-body">{t('legal.imprint.vatId', { vatId: city.imprint.vatId })}</p> : ''}
        <h2 class="kern-heading-medium">{t('legal.imprint.supervisory')}</h2>
        <p class="kern-body" safe>
          {local(city.imprint.supervisoryAuthority, ctx)}
        </p>
        <h2 class="kern-heading-medium">{t('legal.imprint.responsible')}</h2>
        <ContactBlock contact={city.imprint.responsibleForContent} ctx={ctx} />
      </div>
    </Layout>
  )
}

/** /datenschutz: Art. 13 DSGVO. */
export function PrivacyPage({ ctx, city }: { ctx: PageContext; city: City }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('legal.privacy.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('legal.privacy.title')}</h1>
        <p class="kern-body">{t('legal.privacy.intro', { city: local(city.name, ctx) })}</p>
        {city.privacy.sections.map(section => (
          <>
            <h2 class="kern-heading-medium" safe>
              {local(section.heading, ctx)}
            </h2>
            {section.paragraphs.map(paragraph => (
              <p class="kern-body" safe>
                {local(paragraph, ctx)}
              </p>
            ))}
          </>
        ))}
        <h2 class="kern-heading-medium">{t('legal.privacy.officer')}</h2>
        <ContactBlock contact={city.privacy.dataProtectionOfficer} ctx={ctx} />
        <h2 class="kern-heading-medium">{t('legal.privacy.supervisory')}</h2>
        <ContactBlock contact={city.privacy.supervisoryAuthority} ctx={ctx} />
      </div>
    </Layout>
  )
}

export interface FeedbackFormState {
  values: { message?: string; page?: string; email?: string }
  errors: FieldError[]
  sent?: boolean
}

/** /barrierefreiheit: § 12b BGG, § 7 BITV 2.0, with the feedback form and the enforcement body. */
export function AccessibilityPage({ ctx, city, form }: { ctx: PageContext; city: City; form: FeedbackFormState }) {
  const { t } = ctx
  const statement = city.accessibility
  const messageError = form.errors.find(e => e.fieldId === 'message')?.message
  return (
    <Layout
      ctx={ctx}
      title={`${form.errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${t.text('legal.accessibility.title')}`}
    >
      <div class="stack">
        <ErrorSummary ctx={ctx} errors={form.errors} />
        {form.sent ? (
          <div class="kern-alert kern-alert--success" role="status">
            <div class="kern-alert__header">
              <span class="kern-icon kern-icon--success" aria-hidden="true"></span>
              <p class="kern-title">{t('legal.feedback.sent')}</p>
            </div>
          </div>
        ) : (
          ''
        )}
        <h1 class="kern-heading-large">{t('legal.accessibility.title')}</h1>
        <p class="kern-body">{t('legal.accessibility.intro', { city: local(city.name, ctx) })}</p>
        <h2 class="kern-heading-medium">{t('legal.accessibility.conformityHeading')}</h2>
        <p class="kern-body">{t(`legal.accessibility.conformity.${statement.conformity}`)}</p>
        <h2 class="kern-heading-medium">{t('legal.accessibility.barriersHeading')}</h2>
        {statement.knownBarriers.length ? (
          <ul class="kern-list">
            {statement.knownBarriers.map(known => (
              <li>
                <span safe>{local(known.barrier, ctx)}</span> {t('legal.accessibility.alternative')}{' '}
                <span safe>{local(known.alternative, ctx)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="kern-body">{t('legal.accessibility.noBarriers')}</p>
        )}
        <h2 class="kern-heading-medium">{t('legal.accessibility.dateHeading')}</h2>
        <p class="kern-body">
          {t('legal.accessibility.date', { date: formatDate(statement.statementDate, ctx.locale) })}
        </p>
        <p class="kern-body" safe>
          {local(statement.method, ctx)}
        </p>
        <h2 class="kern-heading-medium" id="feedback">
          {t('legal.accessibility.feedbackHeading')}
        </h2>
        <p class="kern-body">{t('legal.accessibility.feedbackIntro')}</p>
        <ContactBlock contact={statement.feedback} ctx={ctx} />
        <form method="post" action="/barrierefreiheit" class="stack" novalidate>
          <CsrfField ctx={ctx} />
          {ctx.account || ctx.staff ? '' : <ProofOfWorkField />}
          <div class={`kern-form-input${messageError ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="message">
              {t('legal.feedback.message')}
            </label>
            <div class="kern-hint" id="message-hint">
              {t('legal.feedback.messageHint')}
            </div>
            {messageError ? (
              <p class="kern-error" id="message-error" role="alert">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
                <span class="kern-body" safe>
                  {messageError}
                </span>
              </p>
            ) : (
              ''
            )}
            <textarea
              class={`kern-form-input__input${messageError ? ' kern-form-input__input--error' : ''}`}
              id="message"
              name="message"
              rows="6"
              aria-describedby={messageError ? 'message-hint message-error' : 'message-hint'}
              aria-invalid={messageError ? 'true' : undefined}
              aria-required="true"
              safe
            >
              {form.values.message ?? ''}
            </textarea>
          </div>
          <TextInput
            id="page"
            label={t.text('legal.feedback.page')}
            hint={t.text('legal.feedback.pageHint')}
            value={form.values.page}
            error={form.errors.find(e => e.fieldId === 'page')?.message}
          />
          <TextInput
            id="email"
            type="email"
            autocomplete="email"
            label={t.text('legal.feedback.email')}
            value={form.values.email}
            error={form.errors.find(e => e.fieldId === 'email')?.message}
          />
          <div class="form-actions">
            <SubmitButton label={t.text('legal.feedback.submit')} />
          </div>
        </form>
        <h2 class="kern-heading-medium">{t('legal.accessibility.enforcementHeading')}</h2>
        <p class="kern-body">{t('legal.accessibility.enforcementIntro')}</p>
        <ContactBlock contact={statement.enforcement} ctx={ctx} />
      </div>
    </Layout>
  )
}
