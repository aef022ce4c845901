import { formatDateTime, formatMoney, formatNumber, type Translate } from '../../../platform/i18n/i18n.js'
import type { FeeNoticeLine, PaymentStatus } from '../../../platform/db/schema.js'
import type { ServiceDefinition } from '../../catalogue/index.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { feeLinesOf, type FeeCalculation } from '../payments.fees.js'
import type { FeeNoticeRow } from '../payments.queries.js'

export interface PaymentSummary {
  id: string
  reference: string
  amountCents: number
  refundedCents: number
  status: PaymentStatus
  createdAt: Date
  paidAt: Date | null
}

const badgeKind: Record<PaymentStatus, string> = {
  open: 'info',
  pending: 'warning',
  paid: 'success',
  failed: 'danger',
  cancelled: 'danger',
  refunded: 'info',
}

export function PaymentStatusTag({ status, t }: { status: PaymentStatus; t: Translate }) {
  return <span class={`kern-badge kern-badge--${badgeKind[status]}`}>{t(`payments.status.${status}`)}</span>
}

/** Fee lines with their total, exactly as charged: the check page, a fee notice and its form. */
export function FeeLinesTable({
  lines,
  totalCents,
  t,
  caption,
  totalClass = 'fee-total',
}: {
  lines: FeeNoticeLine[]
  totalCents: number
  t: Translate
  caption: string
  totalClass?: string
}) {
  const l = t.locale
  return (
    <table class="kern-table">
      <caption class="kern-sr-only" safe>
        {caption}
      </caption>
      <thead class="kern-table__header">
        <tr class="kern-table__row">
          <th class="kern-table__cell" scope="col">
            {t('payments.fees.item')}
          </th>
          <th class="kern-table__cell kern-table__cell--numeric" scope="col">
            {t('payments.fees.amount')}
          </th>
        </tr>
      </thead>
      <tbody class="kern-table__body">
        {lines.map(line => (
          <tr class="kern-table__row">
            <td class="kern-table__cell">
              <span safe>{line.label[l]}</span>
              {line.quantity !== 1 ? (
                <>
                  {' '}
                  <span
                    class="kern-hint"
                    safe
                  >{`(${formatNumber(line.quantity, l)} × ${formatMoney(line.unitCents, l)})`}</span>
                </>
              ) : (
                ''
              )}
            </td>
            <td class="kern-table__cell kern-table__cell--numeric" safe>
              {formatMoney(line.totalCents, l)}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot class="kern-table__footer">
        <tr class="kern-table__row">
          <th class="kern-table__cell" scope="row">
            {t('payments.fees.total')}
          </th>
          <td class="kern-table__cell kern-table__cell--numeric">
            <strong class={totalClass} safe>
              {formatMoney(totalCents, l)}
            </strong>
          </td>
        </tr>
      </tfoot>
    </table>
  )
}

/** The fee for the answers given, line by line, exactly as it will be charged. */
export function FeeSummary({
  fees,
  t,
  headingId = 'fees-title',
}: {
  fees: FeeCalculation
  t: Translate
  headingId?: string
}) {
  if (!fees.due) return ''
  return (
    <section class="stack" aria-labelledby={headingId}>
      <h2 class="kern-heading-medium" id={headingId}>
        {t('payments.fees.title')}
      </h2>
      <FeeLinesTable
        lines={feeLinesOf(fees)}
        totalCents={fees.totalCents}
        t={t}
        caption={t.text('payments.fees.title')}
      />
      <p class="kern-body">
        {t(
          fees.totalCents === 0
            ? 'payments.fees.nothingToPay'
            : fees.due === 'onSubmission'
              ? 'payments.fees.dueOnSubmission'
              : 'payments.fees.dueOnNotice',
        )}
      </p>
    </section>
  )
}

/** What a service costs, for its page: before any answer is given. */
export function ServiceFees({ definition, t }: { definition: ServiceDefinition; t: Translate }) {
  const fees = definition.fees
  if (!fees) return ''
  const l = t.locale
  return (
    <section aria-labelledby="service-fees">
      <h2 class="kern-heading-medium" id="service-fees">
        {t('payments.fees.title')}
      </h2>
      <ul class="kern-list kern-list--bullet">
        {fees.items.map(item => (
          <li>
            <span safe>{`${item.label[l]}: ${formatMoney(item.amountCents, l)}`}</span>
          </li>
        ))}
        {(fees.exemptions ?? []).map(e => (
          <li>
            <span safe>{e.label[l]}</span>
            {e.percent && e.percent < 100 ? (
              <span safe>{` (− ${formatNumber(e.percent, l)} %)`}</span>
            ) : (
              <>
                {' '}
                <span>{t('payments.fees.free')}</span>
              </>
            )}
          </li>
        ))}
      </ul>
      <p class="kern-body">
        {t(fees.due === 'onSubmission' ? 'payments.fees.dueOnSubmission' : 'payments.fees.dueOnNotice')}
      </p>
    </section>
  )
}

/** The payments of a case, for the caseworker (with refunds) and the applicant. */
export function PaymentList({
  payments,
  t,
  canRefund = false,
}: {
  payments: PaymentSummary[]
  t: Translate
  canRefund?: boolean
}) {
  if (payments.length === 0) return <p class="kern-body">{t('payments.list.none')}</p>
  const l = t.locale
  return (
    <ul class="kern-list payment-list">
      {payments.map(p => (
        <li>
          <strong safe>{formatMoney(p.amountCents, l)}</strong> <PaymentStatusTag status={p.status} t={t} />{' '}
          <span
            class="kern-hint"
            safe
          >{`${t.text('payments.list.reference')} ${p.reference} · ${formatDateTime(p.paidAt ?? p.createdAt, l)}`}</span>
          {p.refundedCents > 0 ? (
            <>
              {' '}
              <span class="kern-hint" safe>
                {t.text('payments.list.refunded', { amount: formatMoney(p.refundedCents, l) })}
              </span>
            </>
          ) : (
            ''
          )}
          {canRefund && p.status === 'paid' ? (
            <>
              {' '}
              <a class="kern-link" href={`/backoffice/payments/${p.id}/refund`}>
                {t('payments.list.refund')}
              </a>
            </>
          ) : (
            ''
          )}
        </li>
      ))}
    </ul>
  )
}

/** On a message that delivers a fee notice: "pay now" while the notice is open, else a link to it. */
export function FeeNoticeMessageLink({ data: feeNotice, ctx }: { data: FeeNoticeRow; ctx: PageContext }) {
  const { t } = ctx
  return (
    <p class="kern-body">
      <a
        class={feeNotice.status === 'open' ? 'kern-btn kern-btn--primary' : 'kern-link'}
        href={`/account/fee-notices/${feeNotice.id}`}
      >
        <span class="kern-label">
          {t(feeNotice.status === 'open' ? 'payments.notice.payNowLink' : 'payments.notice.view')}
        </span>
      </a>
    </p>
  )
}
