import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { MIN_PASSWORD_LENGTH } from '../../../platform/auth/password.js'
import { errorFor, titleOf } from './form-parts.js'

export function ForgotPasswordPage({ ctx, email, errors }: { ctx: PageContext; email: string; errors: FieldError[] }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={titleOf(t, 'accounts.forgot.title', errors)}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/password/forgot" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <h1 class="kern-heading-large">{t('accounts.forgot.title')}</h1>
        <p class="kern-body">{t('accounts.forgot.intro')}</p>
        <TextInput
          id="email"
          type="email"
          label={t.text('accounts.field.email')}
          value={email}
          error={errorFor(errors, 'email')}
          autocomplete="email"
          required
        />
        <div class="form-actions">
          <SubmitButton label={t.text('accounts.forgot.submit')} />
        </div>
      </form>
    </Layout>
  )
}

export function ResetPasswordPage({ ctx, token, errors }: { ctx: PageContext; token: string; errors: FieldError[] }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={titleOf(t, 'accounts.reset.title', errors)}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/password/reset" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <h1 class="kern-heading-large">{t('accounts.reset.title')}</h1>
        <p class="kern-body">{t('accounts.reset.intro')}</p>
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
        <div class="form-actions">
          <SubmitButton label={t.text('accounts.reset.submit')} />
        </div>
      </form>
    </Layout>
  )
}

export function ResetInvalidPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('accounts.reset.invalidTitle')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('accounts.reset.invalidTitle')}</h1>
        <p class="kern-body">{t('accounts.reset.invalidBody')}</p>
        <p class="kern-body">
          <a class="kern-link" href="/password/forgot">
            {t('accounts.reset.requestNew')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
