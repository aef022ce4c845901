import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import type { DeadlineCounts } from '../cases.queries.js'
import type { OfficeDeadlines } from '../cases.deadlines.sweep.js'

/** Per office the person works in: whose deadlines have passed, end soon, or stand still. */
export function DeadlinesPage({
  ctx,
  offices,
  reminderDays,
}: {
  ctx: PageContext
  offices: OfficeDeadlines[]
  reminderDays: number
}) {
  const { t } = ctx
  const sum = (rows: DeadlineCounts[], key: 'overdue' | 'dueSoon' | 'stopped') => rows.reduce((n, r) => n + r[key], 0)
  return (
    <Layout ctx={ctx} title={t.text('cases.deadlines.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('cases.deadlines.title')}</h1>
        <p class="kern-body">{t('cases.deadlines.intro', { days: reminderDays })}</p>
        {offices.map(office => (
          <section class="stack" aria-labelledby={`office-${office.officeId}`}>
            <h2 class="kern-heading-medium" id={`office-${office.officeId}`} safe>
              {office.officeName}
            </h2>
            {office.rows.length === 0 ? (
              <p class="kern-body">{t('cases.deadlines.none')}</p>
            ) : (
              <table class="kern-table">
                <caption class="kern-sr-only" safe>
                  {office.officeName}
                </caption>
                <thead class="kern-table__header">
                  <tr class="kern-table__row">
                    <th class="kern-table__cell" scope="col">
                      {t('cases.deadlines.assignee')}
                    </th>
                    <th class="kern-table__cell kern-table__cell--numeric" scope="col">
                      {t('cases.deadlines.overdue')}
                    </th>
                    <th class="kern-table__cell kern-table__cell--numeric" scope="col">
                      {t('cases.deadlines.dueSoon')}
                    </th>
                    <th class="kern-table__cell kern-table__cell--numeric" scope="col">
                      {t('cases.deadlines.stopped')}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {office.rows.map(r => (
                    <tr class="kern-table__row" data-assignee={r.assigneeId ?? 'none'}>
                      <th class="kern-table__cell" scope="row">
                        {r.assigneeName ? <span safe>{r.assigneeName}</span> : t('cases.inbox.unassigned')}
                      </th>
                      <td class="kern-table__cell kern-table__cell--numeric" safe>
                        {String(r.overdue)}
                      </td>
                      <td class="kern-table__cell kern-table__cell--numeric" safe>
                        {String(r.dueSoon)}
                      </td>
                      <td class="kern-table__cell kern-table__cell--numeric" safe>
                        {String(r.stopped)}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot class="kern-table__footer">
                  <tr class="kern-table__row">
                    <th class="kern-table__cell" scope="row">
                      {t('cases.deadlines.total')}
                    </th>
                    <td class="kern-table__cell kern-table__cell--numeric" safe>
                      {String(sum(office.rows, 'overdue'))}
                    </td>
                    <td class="kern-table__cell kern-table__cell--numeric" safe>
                      {String(sum(office.rows, 'dueSoon'))}
                    </td>
                    <td class="kern-table__cell kern-table__cell--numeric" safe>
                      {String(sum(office.rows, 'stopped'))}
                    </td>
                  </tr>
                </tfoot>
              </table>
            )}
            <p class="kern-body">
              <a class="kern-link" href={`/backoffice?office=${encodeURIComponent(office.officeId)}&overdue=1`}>
                {t('cases.deadlines.toInbox')}
              </a>
            </p>
            <dl class="kern-description-list" data-statements={office.officeId}>
              <div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">{t('cases.deadlines.statementsOwed')}</dt>
                <dd class="kern-description-list-item__value" safe>
                  {String(office.statements.owed)}
                </dd>
              </div>
              <div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">{t('cases.deadlines.statementsAwaited')}</dt>
                <dd class="kern-description-list-item__value" safe>
                  {String(office.statements.awaited)}
                </dd>
              </div>
            </dl>
            {office.statements.owed ? (
              <p class="kern-body">
                <a class="kern-link" href="/backoffice/involvements">
                  {t('cases.deadlines.toInvolvements')}
                </a>
              </p>
            ) : (
              ''
            )}
          </section>
        ))}
      </div>
    </Layout>
  )
}
