import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { MIN_PASSWORD_LENGTH } from '../../../platform/auth/password.js'
import { ProviderSignIn, type ProviderButton } from './provider-sign-in.js'
import { errorFor, optionalLabel, titleOf } from './form-parts.js'

export interface RegisterValues {
  kind: string
  email: string
  givenName: string
  familyName: string
  companyName: string
}

export function RegisterPage({
  ctx,
  values,
  errors,
  providers = [],
}: {
  ctx: PageContext
  values: RegisterValues
  errors: FieldError[]
  providers?: ProviderButton[]
}) {
  const { t } = ctx
  const kindError = errorFor(errors, 'kind')
  return (
    <Layout ctx={ctx} title={titleOf(t, 'accounts.register.title', errors)}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/register" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <h1 class="kern-heading-large">{t('accounts.register.title')}</h1>
        <p class="kern-body">{t('accounts.register.intro')}</p>
        <fieldset
          class={`kern-fieldset${kindError ? ' kern-fieldset--error' : ''}`}
          aria-describedby={kindError ? 'kind-error' : undefined}
        >
          <legend class="kern-label">{t('accounts.register.kind')}</legend>
          {kindError ? (
            <p class="kern-error" id="kind-error">
              <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
              <span class="kern-body" safe>
                {kindError}
              </span>
            </p>
          ) : (
            ''
          )}
          <div class="kern-fieldset__body">
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                id="kind"
                name="kind"
                value="citizen"
                checked={values.kind !== 'business'}
              />
              <label class="kern-label" for="kind">
                {t('accounts.register.kindCitizen')}
              </label>
            </div>
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                id="kind-business"
                name="kind"
                value="business"
                checked={values.kind === 'business'}
              />
              <label class="kern-label" for="kind-business">
                {t('accounts.register.kindBusiness')}
              </label>
            </div>
          </div>
        </fieldset>
        <TextInput
          id="companyName"
          label={t.text('accounts.field.companyName')}
          hint={t.text('accounts.register.companyHint')}
          value={values.companyName}
          error={errorFor(errors, 'companyName')}
          autocomplete="organization"
        />
        <TextInput
          id="givenName"
          label={optionalLabel(t, 'accounts.field.givenName')}
          value={values.givenName}
          error={errorFor(errors, 'givenName')}
          autocomplete="given-name"
        />
        <TextInput
          id="familyName"
          label={optionalLabel(t, 'accounts.field.familyName')}
          value={values.familyName}
          error={errorFor(errors, 'familyName')}
          autocomplete="family-name"
        />
        <TextInput
          id="email"
          type="email"
          label={t.text('accounts.field.email')}
          value={values.email}
          error={errorFor(errors, 'email')}
          autocomplete="email"
          required
        />
        <TextInput
          id="password"
          type="password"
          label={t.text('accounts.field.newPassword')}
          hint={t.text('accounts.field.passwordHint', { min: MIN_PASSWORD_LENGTH })}
          error={errorFor(errors, 'password')}
          autocomplete="new-password"
          required
        />
        <TextInput
          id="passwordConfirm"
          type="password"
          label={t.text('accounts.field.passwordConfirm')}
          error={errorFor(errors, 'passwordConfirm')}
          autocomplete="new-password"
          required
        />
        <p class="kern-body">{t('accounts.register.emailNotices')}</p>
        <div class="form-actions">
          <SubmitButton label={t.text('accounts.register.submit')} />
        </div>
        <p class="kern-body">
          {t('accounts.register.haveAccount')}{' '}
          <a class="kern-link" href="/login">
            {t('accounts.login.title')}
          </a>
        </p>
      </form>
      <ProviderSignIn ctx={ctx} buttons={providers} />
    </Layout>
  )
}

/** The one answer to every registration, new address or taken. */
export function CheckInboxPage({ ctx, email }: { ctx: PageContext; email: string }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('accounts.checkInbox.title')}>
      <div class="stack">
        <Alert kind="success" title={t.text('accounts.checkInbox.title')} pageHeading>
          <p class="kern-body">{t('accounts.checkInbox.body', { email })}</p>
        </Alert>
        <p class="kern-body">{t('accounts.checkInbox.validity')}</p>
        <p class="kern-body">
          {t('accounts.checkInbox.noMail')}{' '}
          <a class="kern-link" href="/verify-email/resend">
            {t('accounts.resend.link')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
