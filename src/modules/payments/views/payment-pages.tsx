import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField, SubmitButton } from '../../../platform/views/components.js'
import { formatMoney } from '../../../platform/i18n/i18n.js'
import type { SandboxPayment } from '../providers/sandbox.js'
import { SANDBOX_METHODS } from '../providers/sandbox.js'

/** The sandbox provider's hosted page: what a real provider would show, for tests and demos. */
export function SandboxPaymentPage({ ctx, payment }: { ctx: PageContext; payment: SandboxPayment }) {
  const { t } = ctx
  const l = ctx.locale
  const open = payment.status === 'open'
  return (
    <Layout ctx={ctx} title={t.text('payments.sandbox.title')}>
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline">{t('payments.sandbox.preline')}</p>
          <h1 class="kern-heading-large">{t('payments.sandbox.title')}</h1>
        </hgroup>
        <Alert kind="info" title={t.text('payments.sandbox.notice')} />
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.sandbox.amount')}</dt>
            <dd class="kern-description-list-item__value">
              <strong class="sandbox-amount" safe>
                {formatMoney(payment.amountCents, l)}
              </strong>
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.sandbox.description')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {payment.description}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.list.reference')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {payment.reference}
            </dd>
          </div>
        </dl>
        {open ? (
          <form method="post" action={`/payments/sandbox/${payment.id}`} class="stack">
            <CsrfField ctx={ctx} />
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{t('payments.sandbox.method')}</legend>
              <div class="kern-fieldset__body">
                {SANDBOX_METHODS.map((m, i) => (
                  <div class="kern-form-check">
                    <input
                      class="kern-form-check__radio"
                      type="radio"
                      id={`method-${m}`}
                      name="method"
                      value={m}
                      checked={i === 0}
                    />
                    <label class="kern-label" for={`method-${m}`}>
                      {t(`payments.sandbox.methods.${m}`)}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <div class="form-actions">
              <SubmitButton
                label={t.text('payments.sandbox.pay', { amount: formatMoney(payment.amountCents, l) })}
                name="action"
                value="pay"
              />
              <SubmitButton label={t.text('payments.sandbox.fail')} name="action" value="fail" variant="secondary" />
              <SubmitButton label={t.text('payments.sandbox.cancel')} name="action" value="cancel" variant="tertiary" />
            </div>
          </form>
        ) : (
          <p class="kern-body">{t('payments.sandbox.completed')}</p>
        )}
      </div>
    </Layout>
  )
}

/** Back from the provider, but its confirmation has not arrived yet. */
export function PaymentWaitingPage({
  ctx,
  refreshHref,
  checkHref,
}: {
  ctx: PageContext
  refreshHref: string
  checkHref: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('payments.waiting.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('payments.waiting.title')}</h1>
        <Alert kind="info" title={t.text('payments.waiting.body')} />
        <p class="kern-body">
          <a class="kern-link" href={refreshHref}>
            {t('payments.waiting.refresh')}
          </a>
        </p>
        <p class="kern-body">
          <a class="kern-link" href={checkHref}>
            {t('payments.waiting.back')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
