import type { PageContext } from '../../../platform/views/page-context.js'

/** Between the treasury's two pages. */
export function TreasuryTabs({ ctx, current }: { ctx: PageContext; current: 'list' | 'discrepancies' }) {
  const { t } = ctx
  return (
    <nav aria-label={t.text('treasury.nav')}>
      <ul class="kern-list kern-list--horizontal site-nav">
        <li>
          <a class="kern-link" href="/backoffice/treasury" aria-current={current === 'list' ? 'page' : undefined}>
            {t('treasury.list.title')}
          </a>
        </li>
        <li>
          <a
            class="kern-link"
            href="/backoffice/treasury/discrepancies"
            aria-current={current === 'discrepancies' ? 'page' : undefined}
          >
            {t('treasury.discrepancies.title')}
          </a>
        </li>
        <li>
          <a class="kern-link" href="/backoffice/treasury/refund-requests">
            {t('payments.refundRequests.title')}
          </a>
        </li>
      </ul>
    </nav>
  )
}
