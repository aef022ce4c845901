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
import { ProviderSignIn, type ProviderButton } from './provider-sign-in.js'
import { errorFor, titleOf } from './form-parts.js'

export type LoginNotice = 'passwordChanged' | 'emailVerified' | 'loggedOut'

export function LoginPage({
  ctx,
  email,
  returnTo,
  errors,
  unverified,
  notice,
  providers = [],
}: {
  ctx: PageContext
  email: string
  returnTo?: string
  errors: FieldError[]
  unverified?: boolean
  notice?: LoginNotice
  providers?: ProviderButton[]
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={titleOf(t, 'accounts.login.title', errors)}>
      {notice ? <Alert kind="success" title={t.text(`accounts.login.notice.${notice}`)} /> : ''}
      <ErrorSummary ctx={ctx} errors={errors} />
      {unverified ? (
        <Alert kind="warning" title={t.text('accounts.login.unverified.title')}>
          <p class="kern-body">
            {t('accounts.login.unverified.body')}{' '}
            <a class="kern-link" href="/verify-email/resend">
              {t('accounts.resend.link')}
            </a>
          </p>
        </Alert>
      ) : (
        ''
      )}
      <form method="post" action="/login" novalidate class="stack">
        <CsrfField ctx={ctx} />
        {returnTo ? <input type="hidden" name="return" value={returnTo} /> : ''}
        <h1 class="kern-heading-large">{t('accounts.login.title')}</h1>
        <TextInput
          id="email"
          type="email"
          label={t.text('accounts.field.email')}
          value={email}
          error={errorFor(errors, 'email')}
          autocomplete="username"
          required
        />
        <TextInput
          id="password"
          type="password"
          label={t.text('accounts.field.password')}
          error={errorFor(errors, 'password')}
          autocomplete="current-password"
          required
        />
        <div class="form-actions">
          <SubmitButton label={t.text('accounts.login.submit')} />
        </div>
        <p class="kern-body">
          <a class="kern-link" href="/password/forgot">
            {t('accounts.login.forgot')}
          </a>
        </p>
        <p class="kern-body">
          {t('accounts.login.noAccount')}{' '}
          <a class="kern-link" href="/register">
            {t('accounts.register.title')}
          </a>
        </p>
      </form>
      <ProviderSignIn ctx={ctx} buttons={providers} />
    </Layout>
  )
}
