import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { formatDateTime, formatNumber } from '../../../platform/i18n/i18n.js'
import { AdminTabs } from '../../staff/index.js'
import type { ProcessingEntry } from '../retention.register.js'

export interface LoggedDeletion {
  at: Date
  reason: string
  subjectType: string
  outcome: string
  count: number
}

/** The city's records of processing activities (Art. 30 DSGVO), one row per service, and the recent deletions. */
export function RegisterPage({
  ctx,
  entries,
  deletions,
}: {
  ctx: PageContext
  entries: ProcessingEntry[]
  deletions: LoggedDeletion[]
}) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('retention.register.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('retention.register.title')}</h1>
        <AdminTabs ctx={ctx} current="dataProtection" />
        <p class="kern-body">{t('retention.register.intro')}</p>
        <p class="kern-body">
          <a
            class="kern-link"
            href="/backoffice/admin/data-protection/register.csv"
            download="verarbeitungsverzeichnis.csv"
          >
            {t('retention.register.csv')}
          </a>
        </p>
        <div class="kern-table-responsive">
          <table class="kern-table">
            <caption class="kern-title">{t('retention.register.caption', { count: entries.length })}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                {(['service', 'purpose', 'legalBasis', 'dataCategories', 'recipients', 'retention'] as const).map(
                  col => (
                    <th class="kern-table__header" scope="col">
                      {t(`retention.register.col.${col}`)}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {entries.map(e => (
                <tr class="kern-table__row">
                  <th class="kern-table__cell" scope="row">
                    <span safe>{e.title}</span>
                    <br />
                    <span class="kern-hint" safe>
                      {e.office}
                    </span>
                  </th>
                  <td class="kern-table__cell">{e.purpose ? <span safe>{e.purpose}</span> : <Missing ctx={ctx} />}</td>
                  <td class="kern-table__cell">
                    {e.legalBasis ? <span safe>{e.legalBasis}</span> : <Missing ctx={ctx} />}
                  </td>
                  <td class="kern-table__cell">
                    <TextList items={e.dataCategories} ctx={ctx} />
                  </td>
                  <td class="kern-table__cell">
                    <TextList items={e.recipients} ctx={ctx} />
                  </td>
                  <td class="kern-table__cell">
                    <span safe>{t.text('retention.register.years', { years: e.retentionYears })}</span>
                    {e.retentionLegalBasis ? (
                      <>
                        <br />
                        <span class="kern-hint" safe>
                          {e.retentionLegalBasis}
                        </span>
                      </>
                    ) : (
                      ''
                    )}
                    {e.archive ? (
                      <>
                        <br />
                        <span class="kern-hint">{t('retention.register.archive')}</span>
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
        <section class="stack" aria-labelledby="deletions-title">
          <h2 class="kern-heading-medium" id="deletions-title">
            {t('retention.deletions.title')}
          </h2>
          <p class="kern-body">{t('retention.deletions.intro')}</p>
          {deletions.length === 0 ? (
            <p class="kern-body">{t('retention.deletions.empty')}</p>
          ) : (
            <div class="kern-table-responsive">
              <table class="kern-table">
                <caption class="kern-sr-only">{t('retention.deletions.title')}</caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    {(['at', 'reason', 'kind', 'count'] as const).map(col => (
                      <th class="kern-table__header" scope="col">
                        {t(`retention.deletions.col.${col}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {deletions.map(d => (
                    <tr class="kern-table__row">
                      <td class="kern-table__cell" safe>
                        {formatDateTime(d.at, l)}
                      </td>
                      <td class="kern-table__cell" safe>
                        {d.reason}
                      </td>
                      <td class="kern-table__cell" safe>
                        {`${d.subjectType} (${d.outcome === 'anonymised' ? t.text('retention.deletions.anonymised') : t.text('retention.deletions.deleted')})`}
                      </td>
                      <td class="kern-table__cell" safe>
                        {formatNumber(d.count, l)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </Layout>
  )
}

function Missing({ ctx }: { ctx: PageContext }) {
  return <strong class="kern-body">{ctx.t('retention.register.missing')}</strong>
}

function TextList({ items, ctx }: { items: string[]; ctx: PageContext }) {
  if (items.length === 0) return <Missing ctx={ctx} />
  return (
    <ul class="kern-list">
      {items.map(item => (
        <li safe>{item}</li>
      ))}
    </ul>
  )
}
