import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'

export function StaffLoginPage({
  ctx,
  email,
  returnTo,
  errors,
}: {
  ctx: PageContext
  email: string
  returnTo?: string
  errors: FieldError[]
}) {
  const { t } = ctx
  const errorFor = (id: string) => errors.find(e => e.fieldId === id)?.message
  const title = `${errors.length ? `${t.text('staff.login.errorPrefix')} ` : ''}${t.text('staff.login.title')}`
  return (
    <Layout ctx={ctx} title={title} area="backoffice">
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/backoffice/login" novalidate class="stack">
        <CsrfField ctx={ctx} />
        {returnTo ? <input type="hidden" name="return" value={returnTo} /> : ''}
        <h1 class="kern-heading-large">{t('staff.login.title')}</h1>
        <p class="kern-body">{t('staff.login.intro')}</p>
        <TextInput
          id="email"
          type="email"
          label={t.text('staff.login.email')}
          value={email}
          error={errorFor('email')}
          autocomplete="username"
          required
        />
        <TextInput
          id="password"
          type="password"
          label={t.text('staff.login.password')}
          error={errorFor('password')}
          autocomplete="current-password"
          required
        />
        <div class="form-actions">
          <SubmitButton label={t.text('staff.login.submit')} />
        </div>
        <p class="kern-body">
          {t('staff.login.citizenHint')}{' '}
          <a class="kern-link" href="/login">
            {t('staff.login.citizenLink')}
          </a>
        </p>
      </form>
    </Layout>
  )
}
