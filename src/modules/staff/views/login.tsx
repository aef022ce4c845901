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
  hasDirectory = false,
  directoryLabel,
  passwordSignIn = 'all',
}: {
  ctx: PageContext
  email: string
  returnTo?: string
  errors: FieldError[]
  /** Whether the city's directory signs staff in (STAFF_DIRECTORY_FILE). */
  hasDirectory?: boolean
  /** The directory's own name for its button; the default text when absent. */
  directoryLabel?: string
  /** STAFF_PASSWORD_SIGN_IN: `off` hides the password form, `break-glass` says it is for emergency accounts. */
  passwordSignIn?: 'all' | 'break-glass' | 'off'
}) {
  const { t } = ctx
  const errorFor = (id: string) => errors.find(e => e.fieldId === id)?.message
  const title = `${errors.length ? `${t.text('staff.login.errorPrefix')} ` : ''}${t.text('staff.login.title')}`
  return (
    <Layout ctx={ctx} title={title} area="backoffice">
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1 class="kern-heading-large">{t('staff.login.title')}</h1>
      {hasDirectory ? (
        <section class="stack" aria-labelledby="directory-heading">
          <h2 class="kern-heading-medium" id="directory-heading">
            {t('staff.login.directory.heading')}
          </h2>
          <p class="kern-body">{t('staff.login.directory.intro')}</p>
          <p>
            <a
              class="kern-btn kern-btn--primary"
              href={`/backoffice/login/directory${returnTo ? `?return=${encodeURIComponent(returnTo)}` : ''}`}
            >
              <span class="kern-label" safe>
                {directoryLabel ?? t.text('staff.login.directory.button')}
              </span>
            </a>
          </p>
        </section>
      ) : (
        ''
      )}
      {passwordSignIn === 'off' ? (
        ''
      ) : (
        <form method="post" action="/backoffice/login" novalidate class="stack">
          <CsrfField ctx={ctx} />
          {returnTo ? <input type="hidden" name="return" value={returnTo} /> : ''}
          {hasDirectory ? <h2 class="kern-heading-medium">{t('staff.login.password.heading')}</h2> : ''}
          <p class="kern-body">
            {passwordSignIn === 'break-glass' ? t('staff.login.password.breakGlass') : t('staff.login.intro')}
          </p>
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
      )}
    </Layout>
  )
}
