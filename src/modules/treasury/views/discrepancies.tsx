import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { formatDate, formatDateTime, formatMoney, type Translate } from '../../../platform/i18n/i18n.js'
import { PaymentStatusTag } from '../../payments/index.js'
import {
  PAID_WITHOUT_CASE_GRACE_MINUTES,
  type DescribedNotice,
  type DescribedPayment,
  type DiscrepancyGroup,
  type DiscrepancyReport,
} from '../treasury.service.js'
import { TreasuryTabs } from './treasury-parts.js'

type PaymentKind = 'paidAtProviderOnly' | 'paidInOurBookOnly' | 'paidWithoutCase'
type NoticeKind = 'openNoticePaid' | 'paidNoticeWithoutPayment'

/** Each kind of mismatch with what it means and what to do, then its rows. */
export function DiscrepanciesPage({ ctx, report }: { ctx: PageContext; report: DiscrepancyReport }) {
  const { t } = ctx
  const total = Object.values(report).reduce((sum, group: DiscrepancyGroup<unknown>) => sum + group.items.length, 0)
  return (
    <Layout ctx={ctx} title={t.text('treasury.discrepancies.title')} area="backoffice">
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline">{t('treasury.preline')}</p>
          <h1 class="kern-heading-large">{t('treasury.discrepancies.title')}</h1>
        </hgroup>
        <TreasuryTabs ctx={ctx} current="discrepancies" />
        <p class="kern-body">{t(total === 0 ? 'treasury.discrepancies.none' : 'treasury.discrepancies.intro')}</p>
        {(['paidAtProviderOnly', 'paidInOurBookOnly', 'paidWithoutCase'] as const).map(kind => (
          <PaymentSection kind={kind} group={report[kind]} t={t} />
        ))}
        {(['openNoticePaid', 'paidNoticeWithoutPayment'] as const).map(kind => (
          <NoticeSection kind={kind} group={report[kind]} t={t} />
        ))}
      </div>
    </Layout>
  )
}

function SectionHead({
  kind,
  count,
  more,
  t,
}: {
  kind: PaymentKind | NoticeKind
  count: number
  more: boolean
  t: Translate
}) {
  return (
    <>
      <h2 class="kern-heading-medium" id={`${kind}-title`}>
        {t(`treasury.discrepancies.${kind}.title`)}{' '}
        <span class={`kern-badge kern-badge--${count > 0 ? 'warning' : 'success'}`}>
          {t('treasury.discrepancies.count', { count })}
        </span>
      </h2>
      <p class="kern-body">
        {t(`treasury.discrepancies.${kind}.explain`, { minutes: PAID_WITHOUT_CASE_GRACE_MINUTES })}
      </p>
      <p class="kern-body">
        <strong>{t('treasury.discrepancies.todo')}</strong> {t(`treasury.discrepancies.${kind}.todo`)}
      </p>
      {more ? <p class="kern-hint">{t('treasury.discrepancies.more', { count })}</p> : ''}
    </>
  )
}

function PaymentSection({
  kind,
  group,
  t,
}: {
  kind: PaymentKind
  group: DiscrepancyGroup<DescribedPayment>
  t: Translate
}) {
  const l = t.locale
  return (
    <section class="stack" aria-labelledby={`${kind}-title`} data-kind={kind}>
      <SectionHead kind={kind} count={group.items.length} more={group.more} t={t} />
      {group.items.length === 0 ? (
        ''
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table">
            <caption class="kern-sr-only">{t(`treasury.discrepancies.${kind}.title`)}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.reference')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.service')}
                </th>
                <th class="kern-table__header kern-table__header--numeric" scope="col">
                  {t('treasury.col.amount')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.status')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.provider')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.paid')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {group.items.map(p => (
                <tr class="kern-table__row" data-payment={p.reference}>
                  <th class="kern-table__header" scope="row">
                    <span safe>{p.reference}</span>
                    {p.caseReference ? (
                      <>
                        <br />
                        <span class="kern-hint">{t('treasury.col.case')}</span>{' '}
                        <span class="kern-hint" safe>
                          {p.caseReference}
                        </span>
                      </>
                    ) : (
                      ''
                    )}
                    {p.feeNoticeNumber ? (
                      <>
                        <br />
                        <span class="kern-hint">{t('treasury.col.feeNotice')}</span>{' '}
                        <span class="kern-hint" safe>
                          {p.feeNoticeNumber}
                        </span>
                      </>
                    ) : (
                      ''
                    )}
                  </th>
                  <td class="kern-table__cell">
                    <span safe>{p.serviceTitle}</span>
                    <br />
                    <span class="kern-hint" safe>
                      {p.officeName}
                    </span>
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric" safe>
                    {formatMoney(p.amountCents, l)}
                  </td>
                  <td class="kern-table__cell">
                    <PaymentStatusTag status={p.status} t={t} />
                  </td>
                  <td class="kern-table__cell">
                    <span safe>{p.provider}</span>
                    {p.providerStatus ? (
                      <>
                        <br />
                        <span class="kern-hint">{t('treasury.col.providerSays', { status: p.providerStatus })}</span>
                      </>
                    ) : (
                      ''
                    )}
                    {p.providerCheckedAt ? (
                      <>
                        <br />
                        <span class="kern-hint" safe>
                          {formatDateTime(p.providerCheckedAt, l)}
                        </span>
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                  <td class="kern-table__cell">{p.paidAt ? <span safe>{formatDateTime(p.paidAt, l)}</span> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function NoticeSection({
  kind,
  group,
  t,
}: {
  kind: NoticeKind
  group: DiscrepancyGroup<DescribedNotice>
  t: Translate
}) {
  const l = t.locale
  return (
    <section class="stack" aria-labelledby={`${kind}-title`} data-kind={kind}>
      <SectionHead kind={kind} count={group.items.length} more={group.more} t={t} />
      {group.items.length === 0 ? (
        ''
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table">
            <caption class="kern-sr-only">{t(`treasury.discrepancies.${kind}.title`)}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.feeNotice')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.service')}
                </th>
                <th class="kern-table__header kern-table__header--numeric" scope="col">
                  {t('treasury.col.amount')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.dueOn')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('treasury.col.payment')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {group.items.map(n => (
                <tr class="kern-table__row" data-fee-notice={n.number}>
                  <th class="kern-table__header" scope="row">
                    <span safe>{n.number}</span>
                    {n.caseReference ? (
                      <>
                        <br />
                        <span class="kern-hint">{t('treasury.col.case')}</span>{' '}
                        <span class="kern-hint" safe>
                          {n.caseReference}
                        </span>
                      </>
                    ) : (
                      ''
                    )}
                  </th>
                  <td class="kern-table__cell">
                    <span safe>{n.serviceTitle}</span>
                    <br />
                    <span class="kern-hint" safe>
                      {n.officeName}
                    </span>
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric" safe>
                    {formatMoney(n.amountCents, l)}
                  </td>
                  <td class="kern-table__cell" safe>
                    {formatDate(n.dueOn, l)}
                  </td>
                  <td class="kern-table__cell">{n.paymentReference ? <span safe>{n.paymentReference}</span> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
