import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField, SubmitButton } from '../../../platform/views/components.js'
import { formatDate, formatDateTime, formatNumber } from '../../../platform/i18n/i18n.js'
import { AdminTabs } from '../../staff/index.js'
import type { OfferedCase } from '../retention.archive.js'

export type ArchiveNotice = 'decided' | 'transferred' | 'nothingToTransfer'

export interface ArchiveTransferRow {
  id: string
  createdAt: Date
  caseCount: number
  filename: string
  sizeBytes: number
}

export interface ArchivePageProps {
  ctx: PageContext
  offers: (OfferedCase & { serviceTitle: string; officeName: string })[]
  transfers: ArchiveTransferRow[]
  notice?: ArchiveNotice
}

/**
 * Aussonderung: the expired cases of services kept for the archive, each to be taken over (archivwürdig) or released
 * for deletion (kassieren); the hand-over packages (xdomea) to download.
 */
export function ArchivePage({ ctx, offers, transfers, notice }: ArchivePageProps) {
  const { t } = ctx
  const l = ctx.locale
  const undecided = offers.filter(o => !o.decision).length
  const taken = offers.filter(o => o.decision === 'archive').length
  return (
    <Layout ctx={ctx} title={t.text('retention.archive.title')} area="backoffice">
      <div class="stack">
        {notice ? (
          <Alert
            kind={notice === 'nothingToTransfer' ? 'warning' : 'success'}
            title={t.text(`retention.archive.notice.${notice}`)}
          />
        ) : (
          ''
        )}
        <h1 class="kern-heading-large">{t('retention.archive.title')}</h1>
        <AdminTabs ctx={ctx} current="archive" />
        <p class="kern-body">{t('retention.archive.intro')}</p>
        <section class="stack" aria-labelledby="offers-title">
          <h2 class="kern-heading-medium" id="offers-title">
            {t('retention.archive.offers.title')}
          </h2>
          {offers.length === 0 ? (
            <p class="kern-body">{t('retention.archive.offers.empty')}</p>
          ) : (
            <>
              <p class="kern-body" safe>
                {t.text('retention.archive.offers.summary', { undecided, taken })}
              </p>
              <div class="kern-table-responsive">
                <table class="kern-table">
                  <caption class="kern-sr-only">{t('retention.archive.offers.title')}</caption>
                  <thead class="kern-table__head">
                    <tr class="kern-table__row">
                      {(['reference', 'service', 'offeredAt', 'decision', 'action'] as const).map(col => (
                        <th class="kern-table__header" scope="col">
                          {t(`retention.archive.col.${col}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody class="kern-table__body">
                    {offers.map(o => (
                      <tr class="kern-table__row">
                        <th class="kern-table__cell" scope="row" safe>
                          {o.reference}
                        </th>
                        <td class="kern-table__cell">
                          <span safe>{o.serviceTitle}</span>
                          <br />
                          <span class="kern-hint" safe>
                            {o.officeName}
                          </span>
                        </td>
                        <td class="kern-table__cell" safe>
                          {formatDate(o.offeredAt, l)}
                        </td>
                        <td class="kern-table__cell" safe>
                          {o.decision
                            ? `${t.text(`retention.archive.decision.${o.decision}`)}${o.decidedAt ? `, ${formatDateTime(o.decidedAt, l)}` : ''}`
                            : t.text('retention.archive.decision.open')}
                        </td>
                        <td class="kern-table__cell">
                          <form
                            method="post"
                            action={`/backoffice/admin/archive/${o.caseId}/decision`}
                            class="inline-form"
                          >
                            <CsrfField ctx={ctx} />
                            <button
                              type="submit"
                              name="decision"
                              value="archive"
                              class="kern-btn kern-btn--secondary kern-btn--x-small"
                              aria-label={t.text('retention.archive.takeOverCase', { reference: o.reference })}
                            >
                              <span class="kern-label">{t('retention.archive.takeOver')}</span>
                            </button>{' '}
                            <button
                              type="submit"
                              name="decision"
                              value="destroy"
                              class="kern-btn kern-btn--tertiary kern-btn--x-small"
                              aria-label={t.text('retention.archive.releaseCase', { reference: o.reference })}
                            >
                              <span class="kern-label">{t('retention.archive.release')}</span>
                            </button>
                          </form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <form method="post" action="/backoffice/admin/archive/transfer" class="stack">
                <CsrfField ctx={ctx} />
                <p class="kern-body">{t('retention.archive.transferHint')}</p>
                <div>
                  <SubmitButton label={t.text('retention.archive.transfer')} />
                </div>
              </form>
            </>
          )}
        </section>
        <section class="stack" aria-labelledby="transfers-title">
          <h2 class="kern-heading-medium" id="transfers-title">
            {t('retention.archive.transfers.title')}
          </h2>
          {transfers.length === 0 ? (
            <p class="kern-body">{t('retention.archive.transfers.empty')}</p>
          ) : (
            <ul class="kern-list">
              {transfers.map(tr => (
                <li>
                  <a
                    class="kern-link"
                    href={`/backoffice/admin/archive/transfers/${tr.id}`}
                    download={tr.filename}
                    safe
                  >
                    {tr.filename}
                  </a>{' '}
                  <span class="kern-hint" safe>
                    {t.text('retention.archive.transfers.meta', {
                      at: formatDateTime(tr.createdAt, l),
                      cases: formatNumber(tr.caseCount, l),
                      kb: formatNumber(Math.ceil(tr.sizeBytes / 1024), l),
                    })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </Layout>
  )
}
