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
import { MAX_MAILS_PER_ADDRESS_PER_HOUR } from '../../../platform/mail/mail.js'
import { errorFor, titleOf } from './form-parts.js'

export function VerifyFailedPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('accounts.verify.failedTitle')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('accounts.verify.failedTitle')}</h1>
        <p class="kern-body">{t('accounts.verify.failedBody')}</p>
        <p class="kern-body">
          <a class="kern-link" href="/verify-email/resend">
            {t('accounts.resend.link')}
          </a>
        </p>
        <p class="kern-body">
          <a class="kern-link" href="/login">
            {t('accounts.verify.toLogin')}
          </a>
        </p>
      </div>
    </Layout>
  )
}

export function ResendPage({ ctx, email, errors }: { ctx: PageContext; email: string; errors: FieldError[] }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={titleOf(t, 'accounts.resend.title', errors)}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/verify-email/resend" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <h1 class="kern-heading-large">{t('accounts.resend.title')}</h1>
        <p class="kern-body">{t('accounts.resend.intro')}</p>
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
          <SubmitButton label={t.text('accounts.resend.submit')} />
        </div>
      </form>
    </Layout>
  )
}

/** Same answer whether or not the address has an account. */
export function MailSentPage({
  ctx,
  titleKey,
  bodyKey,
  email,
}: {
  ctx: PageContext
  titleKey: string
  bodyKey: string
  email: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text(titleKey)}>
      <div class="stack">
        <Alert kind="info" title={t.text(titleKey)} pageHeading>
          <p class="kern-body">{t(bodyKey, { email })}</p>
          <p class="kern-body">{t('accounts.mailSent.quota', { max: MAX_MAILS_PER_ADDRESS_PER_HOUR })}</p>
        </Alert>
        <p class="kern-body">
          <a class="kern-link" href="/login">
            {t('accounts.verify.toLogin')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
