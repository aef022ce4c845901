import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField, ErrorSummary, SubmitButton, type FieldError } from '../../../platform/views/components.js'
import { formatDateTime, formatMoney, type Translate } from '../../../platform/i18n/i18n.js'
import type { RefundRequestRow, WaitingRefundRequest } from '../payments.queries.js'

/** What the approver typed into one request's rejection, kept when it comes back with an error. */
export interface RefundDecisionForm {
  requestId: string
  errors: FieldError[]
  reason: string
}

const requestBadge = { requested: 'warning', approved: 'success', rejected: 'danger', withdrawn: 'info' } as const

export function RefundRequestStatusTag({ status, t }: { status: RefundRequestRow['status']; t: Translate }) {
  return (
    <span class={`kern-badge kern-badge--${requestBadge[status]}`}>{t(`payments.refundRequestStatus.${status}`)}</span>
  )
}

/**
 * Refund requests waiting for a second person. Each can be approved or rejected with a reason by anyone but its
 * requester, who may withdraw it instead. actionBase is where the decisions go (office or treasury).
 */
export function RefundRequestsPage({
  ctx,
  rows,
  actionBase,
  staffId,
  officeName,
  linkPayments,
  form,
}: {
  ctx: PageContext
  rows: WaitingRefundRequest[]
  actionBase: string
  staffId: string
  officeName: (officeId: string) => string
  /** Staff of the office open the payment's refund page; the treasury sees the reference only. */
  linkPayments: boolean
  form?: RefundDecisionForm
}) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('payments.refundRequests.title')} area="backoffice">
      <div class="stack">
        <ErrorSummary ctx={ctx} errors={form?.errors ?? []} />
        <h1 class="kern-heading-large">{t('payments.refundRequests.title')}</h1>
        <p class="kern-body">{t('payments.refundRequests.intro')}</p>
        {rows.length === 0 ? (
          <Alert kind="info" title={t.text('payments.refundRequests.empty')} />
        ) : (
          <ul class="kern-list refund-requests">
            {rows.map(r => {
              const reasonError =
                form?.requestId === r.id ? form.errors.find(e => e.fieldId === `reason-${r.id}`)?.message : undefined
              const typedReason: string = form?.requestId === r.id ? form.reason : ''
              return (
                <li class="stack" id={`request-${r.id}`}>
                  <h2 class="kern-heading-small">
                    {linkPayments ? (
                      <a class="kern-link" href={`/backoffice/payments/${r.paymentId}/refund`} safe>
                        {r.paymentReference}
                      </a>
                    ) : (
                      <span safe>{r.paymentReference}</span>
                    )}{' '}
                    <strong safe>{formatMoney(r.amountCents, l)}</strong>
                  </h2>
                  <p class="kern-body" safe>
                    {t.text('payments.refundRequests.details', {
                      office: officeName(r.officeId),
                      paid: formatMoney(r.paymentAmountCents, l),
                      requestedBy: r.requestedByName,
                      at: formatDateTime(r.createdAt, l),
                    })}
                  </p>
                  <p class="kern-body">
                    <span>{t('payments.refundRequests.reason')}</span> <span safe>{r.reason}</span>
                  </p>
                  {r.requestedByStaffId === staffId ? (
                    <form method="post" action={`${actionBase}/${r.id}/withdraw`} class="inline-form">
                      <CsrfField ctx={ctx} />
                      <p class="kern-hint">{t('payments.refundRequests.ownRequest')}</p>
                      <SubmitButton label={t.text('payments.refundRequests.withdraw')} variant="secondary" />
                    </form>
                  ) : (
                    <div class="stack">
                      <form method="post" action={`${actionBase}/${r.id}/approve`} class="inline-form">
                        <CsrfField ctx={ctx} />
                        <SubmitButton
                          label={t.text('payments.refundRequests.approve', { amount: formatMoney(r.amountCents, l) })}
                        />
                      </form>
                      <form method="post" action={`${actionBase}/${r.id}/reject`} class="stack" novalidate>
                        <CsrfField ctx={ctx} />
                        <div class={`kern-form-input${reasonError ? ' kern-form-input--error' : ''}`}>
                          <label class="kern-label" for={`reason-${r.id}`}>
                            {t('payments.refundRequests.rejectReason')}
                          </label>
                          {reasonError ? (
                            <p class="kern-error" id={`reason-${r.id}-error`} role="alert">
                              <span class="kern-body" safe>
                                {reasonError}
                              </span>
                            </p>
                          ) : (
                            ''
                          )}
                          <textarea
                            class="kern-form-input__input"
                            id={`reason-${r.id}`}
                            name="reason"
                            rows="2"
                            aria-required="true"
                            aria-describedby={reasonError ? `reason-${r.id}-error` : undefined}
                            aria-invalid={reasonError ? 'true' : undefined}
                            safe
                          >
                            {typedReason}
                          </textarea>
                        </div>
                        <SubmitButton label={t.text('payments.refundRequests.reject')} variant="secondary" />
                      </form>
                    </div>
                  )}
                </li>
              )
            })}
          </ul>
        )}
      </div>
    </Layout>
  )
}
