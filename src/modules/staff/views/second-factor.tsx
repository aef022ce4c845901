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

const errorFor = (errors: FieldError[], id: string) => errors.find(e => e.fieldId === id)?.message
const titleOf = (ctx: PageContext, key: string, errors: FieldError[]) =>
  `${errors.length ? `${ctx.t.text('staff.login.errorPrefix')} ` : ''}${ctx.t.text(key)}`

/**
 * A passkey ceremony, progressive enhancement: public/passkeys.js shows the form, asks the browser's authenticator
 * with the options in `data-passkey-options`, puts its answer in the hidden field and sends the form. Without
 * JavaScript the form stays hidden and `fallback` says what to use instead.
 */
export function PasskeyForm({
  ctx,
  action,
  mode,
  options,
  label,
  fallback,
  withName,
}: {
  ctx: PageContext
  action: string
  mode: 'register' | 'authenticate'
  options: unknown
  label: string
  fallback: string
  withName?: boolean
}) {
  const { t } = ctx
  return (
    <>
      <p class="kern-body" data-passkey-fallback safe>
        {fallback}
      </p>
      <form
        method="post"
        action={action}
        class="stack"
        hidden
        data-passkey={mode}
        data-passkey-options={JSON.stringify(options)}
      >
        <CsrfField ctx={ctx} />
        <input type="hidden" name="credential" value="" />
        {withName ? (
          <TextInput
            id="passkeyName"
            name="name"
            label={t.text('staff.security.passkeys.name')}
            hint={t.text('staff.security.passkeys.nameHint')}
          />
        ) : (
          ''
        )}
        <p class="kern-error" data-passkey-error hidden role="alert">
          <span class="kern-body">{t('staff.passkeys.error.browser')}</span>
        </p>
        <div class="form-actions">
          <SubmitButton label={label} variant={mode === 'authenticate' ? 'primary' : 'secondary'} />
        </div>
      </form>
      <script src="/assets/webauthn/index.umd.min.js" defer></script>
      <script src="/assets/passkeys.js" defer></script>
    </>
  )
}

/** The second step of a staff sign-in: a passkey, a code of the authenticator app, or a recovery code. */
export function SecondFactorPage({
  ctx,
  totp,
  passkeyOptions,
  errors,
}: {
  ctx: PageContext
  totp: boolean
  passkeyOptions?: unknown
  errors: FieldError[]
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={titleOf(ctx, 'staff.signin.title', errors)} area="backoffice">
      <ErrorSummary ctx={ctx} errors={errors} />
      <div class="stack">
        <h1 class="kern-heading-large">{t('staff.signin.title')}</h1>
        <p class="kern-body">{t('staff.signin.intro')}</p>
        {passkeyOptions ? (
          <section class="stack" aria-labelledby="passkey-heading">
            <h2 class="kern-heading-medium" id="passkey-heading">
              {t('staff.signin.passkey.heading')}
            </h2>
            <PasskeyForm
              ctx={ctx}
              action="/backoffice/login/passkey"
              mode="authenticate"
              options={passkeyOptions}
              label={t.text('staff.signin.passkey.submit')}
              fallback={t.text('staff.signin.passkey.noScript')}
            />
          </section>
        ) : (
          ''
        )}
        {totp ? (
          <CodeForm
            ctx={ctx}
            method="totp"
            fieldId="code"
            errors={errors}
            keys="staff.signin.totp"
            autocomplete="one-time-code"
            inputmode="numeric"
          />
        ) : (
          ''
        )}
        <CodeForm
          ctx={ctx}
          method="recovery"
          fieldId="recoveryCode"
          errors={errors}
          keys="staff.signin.recovery"
          autocomplete="off"
          secondary
        />
        <p class="kern-body">
          <a class="kern-link" href="/backoffice/login">
            {t('staff.signin.restart')}
          </a>
        </p>
      </div>
    </Layout>
  )
}

/** One way to confirm the sign-in with a code (the app's or a recovery code): its own heading and form. */
function CodeForm({
  ctx,
  method,
  fieldId,
  errors,
  keys,
  autocomplete,
  inputmode,
  secondary,
}: {
  ctx: PageContext
  method: 'totp' | 'recovery'
  fieldId: string
  errors: FieldError[]
  keys: 'staff.signin.totp' | 'staff.signin.recovery'
  autocomplete: string
  inputmode?: 'numeric'
  secondary?: boolean
}) {
  const { t } = ctx
  return (
    <section class="stack" aria-labelledby={`${method}-heading`}>
      <h2 class="kern-heading-medium" id={`${method}-heading`}>
        {t(`${keys}.heading`)}
      </h2>
      <form method="post" action="/backoffice/login/second-factor" novalidate class="stack">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="method" value={method} />
        <TextInput
          id={fieldId}
          name="code"
          label={t.text(`${keys}.code`)}
          hint={t.text(`${keys}.hint`)}
          error={errorFor(errors, fieldId)}
          autocomplete={autocomplete}
          inputmode={inputmode}
        />
        <div class="form-actions">
          <SubmitButton label={t.text(`${keys}.submit`)} variant={secondary ? 'secondary' : undefined} />
        </div>
      </form>
    </section>
  )
}

/** Setting up an authenticator app: the QR code, the secret to type by hand, and a first code to confirm. */
export function TotpEnrolPage({
  ctx,
  action,
  secret,
  qrSvg,
  errors,
  duringSignIn,
}: {
  ctx: PageContext
  action: string
  secret: string
  qrSvg: JSX.Element
  errors: FieldError[]
  duringSignIn: boolean
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={titleOf(ctx, 'staff.enrol.title', errors)} area="backoffice">
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={action} novalidate class="stack">
        <CsrfField ctx={ctx} />
        <h1 class="kern-heading-large">{t('staff.enrol.title')}</h1>
        {duringSignIn ? <Alert kind="info" title={t.text('staff.enrol.required')} /> : ''}
        <ol class="kern-list kern-list--ordered">
          <li>{t('staff.enrol.stepApp')}</li>
          <li>{t('staff.enrol.stepScan')}</li>
          <li>{t('staff.enrol.stepCode')}</li>
        </ol>
        <div class="totp-qr" role="img" aria-label={t.text('staff.enrol.qrLabel')}>
          {qrSvg}
        </div>
        <p class="kern-body">
          {t('staff.enrol.manual')}{' '}
          <code class="totp-secret" safe>
            {secret.replace(/(.{4})/g, '$1 ').trim()}
          </code>
        </p>
        <TextInput
          id="code"
          name="code"
          label={t.text('staff.enrol.code')}
          hint={t.text('staff.signin.totp.hint')}
          error={errorFor(errors, 'code')}
          autocomplete="one-time-code"
          inputmode="numeric"
        />
        <div class="form-actions">
          <SubmitButton label={t.text('staff.enrol.submit')} />
        </div>
        <p class="kern-body">
          <a class="kern-link" href={duringSignIn ? '/backoffice/login' : '/backoffice/security'}>
            {t('staff.enrol.cancel')}
          </a>
        </p>
      </form>
    </Layout>
  )
}

/** New recovery codes, shown this once. */
export function RecoveryCodesPage({
  ctx,
  codes,
  continueHref,
}: {
  ctx: PageContext
  codes: string[]
  continueHref: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('staff.recovery.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('staff.recovery.title')}</h1>
        <Alert kind="warning" title={t.text('staff.recovery.once')}>
          <p class="kern-body">{t('staff.recovery.explain')}</p>
        </Alert>
        <ul class="kern-list recovery-codes">
          {codes.map(code => (
            <li>
              <code safe>{code}</code>
            </li>
          ))}
        </ul>
        <p class="kern-body">
          <a class="kern-link" href={continueHref}>
            {t('staff.recovery.continue')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
