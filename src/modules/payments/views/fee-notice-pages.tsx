import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  TextInput,
  type FieldError,
} from '../../../platform/views/components.js'
import { formatDate, formatMoney, type Translate } from '../../../platform/i18n/i18n.js'
import type { FeeNoticeLine } from '../../../platform/db/schema.js'
import type { FeeNoticeRow, PaymentRow, RefundRequestRow, RefundRow } from '../payments.queries.js'
import { FeeLinesTable, PaymentStatusTag } from './payment-parts.js'
import { RefundRequestStatusTag } from './refund-requests.js'

const noticeBadge = { open: 'warning', paid: 'success', cancelled: 'info' } as const

export function FeeNoticeStatusTag({ status, t }: { status: FeeNoticeRow['status']; t: Translate }) {
  return <span class={`kern-badge kern-badge--${noticeBadge[status]}`}>{t(`payments.noticeStatus.${status}`)}</span>
}

export interface FeeNoticeFormState {
  errors: FieldError[]
  extraLabel: string
  extraAmount: string
  dueOn: string
}

/** The caseworker confirms the fee the definition gives, may add one further item, and sets the due date. */
export function FeeNoticeFormPage({
  ctx,
  caseId,
  caseReference,
  serviceTitle,
  lines,
  form,
}: {
  ctx: PageContext
  caseId: string
  caseReference: string
  serviceTitle: string
  lines: FeeNoticeLine[]
  form: FeeNoticeFormState
}) {
  const { t } = ctx
  const error = (id: string) => form.errors.find(e => e.fieldId === id)?.message
  const total = lines.reduce((sum, l) => sum + l.totalCents, 0)
  return (
    <Layout ctx={ctx} title={t.text('payments.noticeForm.title')} area="backoffice">
      <div class="stack">
        <BackLink
          href={`/backoffice/cases/${caseId}`}
          label={t.text('payments.backToCase', { reference: caseReference })}
        />
        <ErrorSummary ctx={ctx} errors={form.errors} />
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>{`${caseReference} · ${serviceTitle}`}</p>
          <h1 class="kern-heading-large">{t('payments.noticeForm.title')}</h1>
        </hgroup>
        <p class="kern-body">{t('payments.noticeForm.intro')}</p>
        {lines.length ? (
          <FeeLinesTable lines={lines} totalCents={total} t={t} caption={t.text('payments.noticeForm.linesCaption')} />
        ) : (
          <p class="kern-body">{t('payments.noticeForm.noLines')}</p>
        )}
        <form method="post" action={`/backoffice/cases/${caseId}/fee-notice`} class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{t('payments.noticeForm.extraLegend')}</legend>
            <div class="kern-fieldset__body">
              <TextInput
                id="extraLabel"
                label={t.text('payments.noticeForm.extraLabel')}
                value={form.extraLabel}
                error={error('extraLabel')}
                hint={t.text('payments.noticeForm.extraLabelHint')}
              />
              <TextInput
                id="extraAmount"
                label={t.text('payments.noticeForm.extraAmount')}
                value={form.extraAmount}
                error={error('extraAmount')}
                hint={t.text('payments.amountHint')}
                inputmode="decimal"
              />
            </div>
          </fieldset>
          <TextInput
            id="dueOn"
            type="date"
            label={t.text('payments.noticeForm.dueOn')}
            value={form.dueOn}
            error={error('dueOn')}
            required
          />
          <SubmitButton label={t.text('payments.noticeForm.submit')} />
        </form>
      </div>
    </Layout>
  )
}

export interface RefundFormState {
  errors: FieldError[]
  amount: string
  reason: string
}

export function RefundFormPage({
  ctx,
  caseId,
  caseReference,
  payment,
  availableCents,
  refunds,
  requests,
  approvalAboveCents,
  form,
}: {
  ctx: PageContext
  caseId: string
  caseReference: string
  payment: PaymentRow
  availableCents: number
  refunds: RefundRow[]
  /** Requests above the approval threshold, also the decided ones, so the requester sees why one did not happen. */
  requests: RefundRequestRow[]
  approvalAboveCents: number
  form: RefundFormState
}) {
  const { t } = ctx
  const l = ctx.locale
  const error = (id: string) => form.errors.find(e => e.fieldId === id)?.message
  return (
    <Layout ctx={ctx} title={t.text('payments.refundForm.title')} area="backoffice">
      <div class="stack">
        <BackLink
          href={`/backoffice/cases/${caseId}`}
          label={t.text('payments.backToCase', { reference: caseReference })}
        />
        <ErrorSummary ctx={ctx} errors={form.errors} />
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>{`${caseReference} · ${payment.reference}`}</p>
          <h1 class="kern-heading-large">{t('payments.refundForm.title')}</h1>
        </hgroup>
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.refundForm.paid')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {formatMoney(payment.amountCents, l)}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.refundForm.available')}</dt>
            <dd class="kern-description-list-item__value">
              <strong class="refund-available" safe>
                {formatMoney(availableCents, l)}
              </strong>
            </dd>
          </div>
        </dl>
        {refunds.length ? (
          <ul class="kern-list">
            {refunds.map(r => (
              <li>
                <span safe>{`${formatMoney(r.amountCents, l)} · ${r.reason}`}</span>{' '}
                <span class="kern-badge kern-badge--info">{t(`payments.refundStatus.${r.status}`)}</span>
              </li>
            ))}
          </ul>
        ) : (
          ''
        )}
        {requests.length ? (
          <section class="stack refund-requests">
            <h2 class="kern-heading-small">{t('payments.refundForm.requests')}</h2>
            <ul class="kern-list">
              {requests.map(r => (
                <li>
                  <span safe>{`${formatMoney(r.amountCents, l)} · ${r.reason}`}</span>{' '}
                  <RefundRequestStatusTag status={r.status} t={t} />
                  {r.decisionReason ? (
                    <span
                      class="kern-hint"
                      safe
                    >{` ${t.text('payments.refundForm.decisionReason', { reason: r.decisionReason })}`}</span>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ul>
            {requests.some(r => r.status === 'requested') ? (
              <p class="kern-body">
                <a class="kern-link" href="/backoffice/refund-requests">
                  {t('payments.refundForm.toRequests')}
                </a>
              </p>
            ) : (
              ''
            )}
          </section>
        ) : (
          ''
        )}
        {availableCents > 0 ? (
          <form method="post" action={`/backoffice/payments/${payment.id}/refund`} class="stack" novalidate>
            <CsrfField ctx={ctx} />
            <p class="kern-hint">
              {t('payments.refundForm.fourEyes', { threshold: formatMoney(approvalAboveCents, l) })}
            </p>
            <TextInput
              id="amount"
              label={t.text('payments.refundForm.amount')}
              value={form.amount}
              error={error('amount')}
              hint={t.text('payments.amountHint')}
              inputmode="decimal"
              required
            />
            <div class={`kern-form-input${error('reason') ? ' kern-form-input--error' : ''}`}>
              <label class="kern-label" for="reason">
                {t('payments.refundForm.reason')}
              </label>
              {error('reason') ? (
                <p class="kern-error" id="reason-error" role="alert">
                  <span class="kern-body" safe>
                    {error('reason')}
                  </span>
                </p>
              ) : (
                ''
              )}
              <textarea
                class="kern-form-input__input"
                id="reason"
                name="reason"
                rows="3"
                aria-required="true"
                aria-describedby={error('reason') ? 'reason-error' : undefined}
                aria-invalid={error('reason') ? 'true' : undefined}
                safe
              >
                {form.reason}
              </textarea>
            </div>
            <SubmitButton label={t.text('payments.refundForm.submit')} />
          </form>
        ) : (
          <Alert kind="info" title={t.text('payments.refundForm.nothingLeft')} />
        )}
      </div>
    </Layout>
  )
}

/** The fee notices of a case; for the applicant each links to its page with "pay now", staff may withdraw an open one. */
export function FeeNoticeList({
  notices,
  t,
  audience,
  csrfToken,
}: {
  notices: FeeNoticeRow[]
  t: Translate
  audience: 'staff' | 'applicant'
  csrfToken?: string
}) {
  if (notices.length === 0) return ''
  const l = t.locale
  return (
    <ul class="kern-list fee-notice-list">
      {notices.map(n => (
        <li>
          {audience === 'applicant' ? (
            <a
              class="kern-link"
              href={`/account/fee-notices/${n.id}`}
              safe
            >{`${t.text('payments.notice.name')} ${n.number}`}</a>
          ) : (
            <span safe>{`${t.text('payments.notice.name')} ${n.number}`}</span>
          )}{' '}
          <strong safe>{formatMoney(n.amountCents, l)}</strong> <FeeNoticeStatusTag status={n.status} t={t} />{' '}
          <span
            class="kern-hint"
            safe
          >{`${t.text('payments.notice.dueOn')} ${formatDate(n.dueOn, l)}${n.periodStart && n.periodEnd ? ` · ${formatDate(n.periodStart, l)} – ${formatDate(n.periodEnd, l)}` : ''}`}</span>
          {audience === 'staff' && n.status === 'open' && csrfToken ? (
            <form method="post" action={`/backoffice/fee-notices/${n.id}/cancel`} class="inline-form">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <button type="submit" class="kern-btn kern-btn--tertiary">
                <span class="kern-label">{t('payments.notice.cancel', { number: n.number })}</span>
              </button>
            </form>
          ) : (
            ''
          )}
        </li>
      ))}
    </ul>
  )
}

/** A fee notice for its addressee: what is owed, the PDF, and "pay now" while it is open. */
export function FeeNoticePage({
  ctx,
  notice,
  serviceTitle,
  caseReference,
  caseId,
  latestPayment,
}: {
  ctx: PageContext
  notice: FeeNoticeRow
  serviceTitle: string
  caseReference: string
  caseId: string
  latestPayment: PaymentRow | null
}) {
  const { t } = ctx
  const l = ctx.locale
  const waiting = notice.status === 'open' && latestPayment?.status === 'pending'
  const failed =
    notice.status === 'open' && (latestPayment?.status === 'failed' || latestPayment?.status === 'cancelled')
  return (
    <Layout ctx={ctx} title={t.text('payments.notice.pageTitle', { number: notice.number })}>
      <div class="stack">
        <BackLink
          href={`/account/applications/${caseId}`}
          label={t.text('payments.notice.backToApplication', { reference: caseReference })}
        />
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>{`${caseReference} · ${serviceTitle}`}</p>
          <h1 class="kern-heading-large">{t('payments.notice.pageTitle', { number: notice.number })}</h1>
        </hgroup>
        {notice.status === 'paid' ? <Alert kind="success" title={t.text('payments.notice.isPaid')} /> : ''}
        {waiting ? <Alert kind="info" title={t.text('payments.waiting.title')} /> : ''}
        {failed ? (
          <Alert
            kind="warning"
            title={t.text(latestPayment?.status === 'failed' ? 'payments.notice.failed' : 'payments.notice.cancelled')}
          />
        ) : (
          ''
        )}
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.pdf.cashReference')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {notice.number}
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.notice.status')}</dt>
            <dd class="kern-description-list-item__value">
              <FeeNoticeStatusTag status={notice.status} t={t} />
            </dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{t('payments.notice.dueOn')}</dt>
            <dd class="kern-description-list-item__value" safe>
              {formatDate(notice.dueOn, l)}
            </dd>
          </div>
          {latestPayment ? (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">{t('payments.notice.lastPayment')}</dt>
              <dd class="kern-description-list-item__value">
                <PaymentStatusTag status={latestPayment.status} t={t} /> <span safe>{latestPayment.reference}</span>
              </dd>
            </div>
          ) : (
            ''
          )}
        </dl>
        <FeeLinesTable
          lines={notice.lines}
          totalCents={notice.amountCents}
          t={t}
          caption={t.text('payments.fees.title')}
        />
        {notice.fileId ? (
          <p class="kern-body">
            <a class="kern-link" href={`/account/files/${notice.fileId}`}>
              {t('payments.notice.download')}
            </a>
          </p>
        ) : (
          ''
        )}
        {notice.status === 'open' && !waiting ? (
          <form method="post" action={`/account/fee-notices/${notice.id}/pay`}>
            <CsrfField ctx={ctx} />
            <SubmitButton label={t.text('payments.notice.payNow', { amount: formatMoney(notice.amountCents, l) })} />
          </form>
        ) : (
          ''
        )}
        {waiting ? (
          <p class="kern-body">
            <a class="kern-link" href={`/account/fee-notices/${notice.id}`}>
              {t('payments.waiting.refresh')}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}
