import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { SubmitButton, TextInput } from '../../../platform/views/components.js'
import { formatDateTime, formatMoney, formatNumber, type Translate } from '../../../platform/i18n/i18n.js'
import type { Office, ServiceDefinition } from '../../catalogue/index.js'
import { PaymentStatusTag } from '../../payments/index.js'
import { PAYMENT_STATUSES, type LedgerEntry, type TreasuryQuery } from '../treasury.schemas.js'
import { treasuryQueryString, type TreasuryPage as TreasuryPageData, type TreasuryTotals } from '../treasury.service.js'
import { TreasuryTabs } from './treasury-parts.js'

export interface TreasuryPageProps {
  ctx: PageContext
  page: TreasuryPageData
  query: TreasuryQuery
  services: ServiceDefinition[]
  offices: Office[]
}

/** Payments of every office: filters (a GET form), totals of the filtered set, one page of rows, exports. */
export function TreasuryPage({ ctx, page, query, services, offices }: TreasuryPageProps) {
  const { t } = ctx
  const l = ctx.locale
  const filters = treasuryQueryString(query)
  const withFilters = (path: string) => (filters ? `${path}?${filters}` : path)
  const selected = new Set(query.status ?? [])
  return (
    <Layout ctx={ctx} title={t.text('treasury.list.title')} area="backoffice">
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline">{t('treasury.preline')}</p>
          <h1 class="kern-heading-large">{t('treasury.list.title')}</h1>
        </hgroup>
        <TreasuryTabs ctx={ctx} current="list" />
        <form method="get" action="/backoffice/treasury">
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{t('treasury.filter.legend')}</legend>
            <div class="kern-fieldset__body">
              <fieldset class="kern-fieldset">
                <legend class="kern-label">{t('treasury.filter.status')}</legend>
                <div class="kern-fieldset__body kern-fieldset__body--horizontal">
                  {PAYMENT_STATUSES.map(status => (
                    <div class="kern-form-check">
                      <input
                        class="kern-form-check__checkbox"
                        type="checkbox"
                        id={`status-${status}`}
                        name="status"
                        value={status}
                        checked={selected.has(status)}
                      />
                      <label class="kern-label" for={`status-${status}`}>
                        {t(`payments.status.${status}`)}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <div class="filters">
                <Select
                  id="service"
                  label={t.text('treasury.filter.service')}
                  value={query.service ?? ''}
                  options={[
                    { value: '', label: t.text('treasury.filter.all') },
                    ...services.map(s => ({ value: s.id, label: s.title[l] })),
                  ]}
                />
                <Select
                  id="office"
                  label={t.text('treasury.filter.office')}
                  value={query.office ?? ''}
                  options={[
                    { value: '', label: t.text('treasury.filter.all') },
                    ...offices.map(o => ({ value: o.id, label: o.name[l] })),
                  ]}
                />
                <Select
                  id="provider"
                  label={t.text('treasury.filter.provider')}
                  value={query.provider ?? ''}
                  options={[
                    { value: '', label: t.text('treasury.filter.all') },
                    ...page.providers.map(p => ({ value: p, label: p })),
                  ]}
                />
              </div>
              <div class="filters">
                <TextInput id="from" type="date" label={t.text('treasury.filter.from')} value={query.from} />
                <TextInput id="to" type="date" label={t.text('treasury.filter.to')} value={query.to} />
                <TextInput
                  id="q"
                  label={t.text('treasury.filter.search')}
                  hint={t.text('treasury.filter.searchHint')}
                  value={query.q}
                />
              </div>
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  id="refunds"
                  name="refunds"
                  value="1"
                  checked={query.refunds === '1'}
                />
                <label class="kern-label" for="refunds">
                  {t('treasury.filter.withRefunds')}
                </label>
              </div>
            </div>
          </fieldset>
          <div class="form-actions">
            <SubmitButton label={t.text('treasury.filter.apply')} variant="secondary" />
            <a class="kern-link" href="/backoffice/treasury">
              {t('treasury.filter.reset')}
            </a>
          </div>
        </form>
        <Totals totals={page.totals} t={t} />
        <section class="stack" aria-labelledby="exports-title">
          <h2 class="kern-heading-medium" id="exports-title">
            {t('treasury.export.title')}
          </h2>
          <ul class="kern-list">
            <li>
              <a class="kern-link" href={withFilters('/backoffice/treasury/export.csv')}>
                {t('treasury.export.csv')}
              </a>
            </li>
            <li>
              <a class="kern-link" href={withFilters('/backoffice/treasury/export.camt054.xml')}>
                {t('treasury.export.camt')}
              </a>
            </li>
          </ul>
          <p class="kern-hint">{t('treasury.export.hint')}</p>
        </section>
        <section class="stack" aria-labelledby="payments-title">
          <h2 class="kern-heading-medium" id="payments-title">
            {t('treasury.list.payments')}
          </h2>
          {page.entries.length === 0 ? (
            <p class="kern-body">{t(query.after ? 'treasury.list.noMore' : 'treasury.list.empty')}</p>
          ) : (
            <LedgerTable entries={page.entries} t={t} />
          )}
          {page.nextCursor ? (
            <p class="kern-body">
              <a
                class="kern-link"
                rel="next"
                href={`/backoffice/treasury?${treasuryQueryString(query, { after: page.nextCursor })}`}
              >
                {t('treasury.list.nextPage')}
              </a>
            </p>
          ) : (
            ''
          )}
        </section>
      </div>
    </Layout>
  )
}

function Select(props: { id: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={props.id} safe>
        {props.label}
      </label>
      <div class="kern-form-input__select-wrapper">
        <select class="kern-form-input__select" id={props.id} name={props.id}>
          {props.options.map(o => (
            <option value={o.value} selected={o.value === props.value} safe>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}

function Totals({ totals, t }: { totals: TreasuryTotals; t: Translate }) {
  const l = t.locale
  return (
    <section class="stack" aria-labelledby="totals-title">
      <h2 class="kern-heading-medium" id="totals-title">
        {t('treasury.totals.title')}
      </h2>
      <div class="kern-table-responsive">
        <table class="kern-table">
          <caption class="kern-sr-only">{t('treasury.totals.title')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">
                {t('treasury.col.status')}
              </th>
              <th class="kern-table__header kern-table__header--numeric" scope="col">
                {t('treasury.totals.count')}
              </th>
              <th class="kern-table__header kern-table__header--numeric" scope="col">
                {t('treasury.totals.amount')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {totals.byStatus.map(s => (
              <tr class="kern-table__row" data-status={s.status}>
                <th class="kern-table__header" scope="row">
                  {t(`payments.status.${s.status}`)}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric" safe>
                  {formatNumber(s.count, l)}
                </td>
                <td class="kern-table__cell kern-table__cell--numeric" safe>
                  {formatMoney(s.amountCents, l)}
                </td>
              </tr>
            ))}
            <tr class="kern-table__row" data-total="all">
              <th class="kern-table__header" scope="row">
                {t('treasury.totals.all')}
              </th>
              <td class="kern-table__cell kern-table__cell--numeric" safe>
                {formatNumber(totals.count, l)}
              </td>
              <td class="kern-table__cell kern-table__cell--numeric" safe>
                {formatMoney(totals.amountCents, l)}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t('treasury.totals.received')}</dt>
          <dd class="kern-description-list-item__value" data-total="received" safe>
            {formatMoney(totals.receivedCents, l)}
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t('treasury.totals.refunded')}</dt>
          <dd class="kern-description-list-item__value" data-total="refunded" safe>
            {formatMoney(totals.refundedCents, l)}
          </dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{t('treasury.totals.net')}</dt>
          <dd class="kern-description-list-item__value" data-total="net" safe>
            {formatMoney(totals.netCents, l)}
          </dd>
        </div>
      </dl>
    </section>
  )
}

function LedgerTable({ entries, t }: { entries: LedgerEntry[]; t: Translate }) {
  const l = t.locale
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-sr-only">{t('treasury.list.payments')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('treasury.col.reference')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('treasury.col.created')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('treasury.col.paid')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('treasury.col.service')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('treasury.col.office')}
            </th>
            <th class="kern-table__header kern-table__header--numeric" scope="col">
              {t('treasury.col.amount')}
            </th>
            <th class="kern-table__header kern-table__header--numeric" scope="col">
              {t('treasury.col.refunded')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('treasury.col.status')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('treasury.col.provider')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {entries.map(e => (
            <tr class="kern-table__row" data-payment={e.reference}>
              <th class="kern-table__header" scope="row">
                <span safe>{e.reference}</span>
                {e.feeNoticeNumber ? (
                  <>
                    <br />
                    <span class="kern-hint">{t('treasury.col.feeNotice')}</span>{' '}
                    <span class="kern-hint" safe>
                      {e.feeNoticeNumber}
                    </span>
                  </>
                ) : (
                  ''
                )}
                {e.caseReference ? (
                  <>
                    <br />
                    <span class="kern-hint">{t('treasury.col.case')}</span>{' '}
                    <span class="kern-hint" safe>
                      {e.caseReference}
                    </span>
                  </>
                ) : (
                  ''
                )}
              </th>
              <td class="kern-table__cell" safe>
                {formatDateTime(e.createdAt, l)}
              </td>
              <td class="kern-table__cell">{e.paidAt ? <span safe>{formatDateTime(e.paidAt, l)}</span> : '–'}</td>
              <td class="kern-table__cell" safe>
                {e.serviceTitle}
              </td>
              <td class="kern-table__cell" safe>
                {e.officeName}
              </td>
              <td class="kern-table__cell kern-table__cell--numeric" safe>
                {formatMoney(e.amountCents, l)}
              </td>
              <td class="kern-table__cell kern-table__cell--numeric">
                {e.refundedCents > 0 ? <span safe>{formatMoney(e.refundedCents, l)}</span> : '–'}
              </td>
              <td class="kern-table__cell">
                <PaymentStatusTag status={e.status} t={t} />
              </td>
              <td class="kern-table__cell">
                <span safe>{e.provider}</span>
                {e.providerStatus ? (
                  <>
                    <br />
                    <span class="kern-hint">{t('treasury.col.providerSays', { status: e.providerStatus })}</span>
                  </>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
