import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField, SubmitButton } from '../../../platform/views/components.js'
import { PasskeyForm } from './second-factor.js'

export type SecurityNotice = 'totpAdded' | 'totpRemoved' | 'passkeyAdded' | 'passkeyRemoved' | 'passkeyFailed'

export interface SecurityPageProps {
  ctx: PageContext
  required: boolean
  totp: boolean
  recoveryCodes: number
  passkeys: { credentialId: string; name: string; createdAt: Date; lastUsedAt: Date | null }[]
  registrationOptions: unknown
  notice?: SecurityNotice
}

/** A staff member's sign-in security: the authenticator app, passkeys and recovery codes. */
export function SecurityPage(props: SecurityPageProps) {
  const { ctx, required, totp, recoveryCodes, passkeys, notice } = props
  const { t } = ctx
  const date = (d: Date) => new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium' }).format(d)
  return (
    <Layout ctx={ctx} title={t.text('staff.security.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('staff.security.title')}</h1>
        {notice ? (
          <Alert
            kind={notice === 'passkeyFailed' ? 'danger' : 'success'}
            title={t.text(`staff.security.notice.${notice}`)}
          />
        ) : (
          ''
        )}
        <p class="kern-body">{required ? t('staff.security.required') : t('staff.security.optional')}</p>

        <section class="stack" aria-labelledby="passkeys-heading">
          <h2 class="kern-heading-medium" id="passkeys-heading">
            {t('staff.security.passkeys.heading')}
          </h2>
          <p class="kern-body">{t('staff.security.passkeys.intro')}</p>
          {passkeys.length ? (
            <ul class="kern-list">
              {passkeys.map(p => (
                <li>
                  <form method="post" action="/backoffice/security/passkeys/remove" class="inline-form">
                    <CsrfField ctx={ctx} />
                    <input type="hidden" name="credentialId" value={p.credentialId} />
                    <span class="kern-body" safe>
                      {t.text('staff.security.passkeys.item', {
                        name: p.name,
                        created: date(p.createdAt),
                        used: p.lastUsedAt ? date(p.lastUsedAt) : t.text('staff.security.passkeys.neverUsed'),
                      })}
                    </span>{' '}
                    <button type="submit" class="kern-btn kern-btn--tertiary">
                      <span class="kern-label" safe>
                        {t.text('staff.security.passkeys.remove', { name: p.name })}
                      </span>
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          ) : (
            <p class="kern-body">{t('staff.security.passkeys.none')}</p>
          )}
          <PasskeyForm
            ctx={ctx}
            action="/backoffice/security/passkeys"
            mode="register"
            options={props.registrationOptions}
            label={t.text('staff.security.passkeys.add')}
            fallback={t.text('staff.security.passkeys.noScript')}
            withName
          />
        </section>

        <section class="stack" aria-labelledby="totp-heading">
          <h2 class="kern-heading-medium" id="totp-heading">
            {t('staff.security.totp.heading')}
          </h2>
          {totp ? (
            <form method="post" action="/backoffice/security/totp/remove" class="stack">
              <CsrfField ctx={ctx} />
              <p class="kern-body">{t('staff.security.totp.active')}</p>
              <div class="form-actions">
                <SubmitButton label={t.text('staff.security.totp.remove')} variant="secondary" />
              </div>
            </form>
          ) : (
            <p class="kern-body">
              {t('staff.security.totp.none')}{' '}
              <a class="kern-link" href="/backoffice/security/totp">
                {t('staff.security.totp.add')}
              </a>
            </p>
          )}
        </section>

        {totp || passkeys.length ? (
          <section class="stack" aria-labelledby="recovery-heading">
            <h2 class="kern-heading-medium" id="recovery-heading">
              {t('staff.security.recovery.heading')}
            </h2>
            <form method="post" action="/backoffice/security/recovery-codes" class="stack">
              <CsrfField ctx={ctx} />
              <p class="kern-body">{t('staff.security.recovery.left', { count: recoveryCodes })}</p>
              <div class="form-actions">
                <SubmitButton label={t.text('staff.security.recovery.regenerate')} variant="secondary" />
              </div>
            </form>
          </section>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}
