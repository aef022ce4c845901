import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, CsrfField } from '../../../platform/views/components.js'
import { formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import type { JobStatus } from '../../../platform/db/schema.js'
import type { FailedJob, RetryOutcome } from '../../../platform/jobs/index.js'
import { AdminTabs } from './admin-staff.js'

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed']

/** Background jobs for platform admins: how many are in each state, and the failed ones to retry. */
export function JobsAdminPage({
  ctx,
  counts,
  failed,
  notice,
}: {
  ctx: PageContext
  counts: Record<JobStatus, number>
  failed: FailedJob[]
  notice?: RetryOutcome
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('staff.admin.jobs.title')} area="backoffice">
      <div class="stack">
        {notice ? (
          <Alert
            kind={notice === 'retried' ? 'success' : 'warning'}
            title={t.text(`staff.admin.jobs.notice.${notice}`)}
          />
        ) : (
          ''
        )}
        <h1 class="kern-heading-large">{t('staff.admin.jobs.title')}</h1>
        <AdminTabs ctx={ctx} current="jobs" />
        <p class="kern-body">{t('staff.admin.jobs.intro')}</p>
        <div class="kern-table-responsive">
          <table class="kern-table">
            <caption class="kern-title">{t('staff.admin.jobs.counts')}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th class="kern-table__header" scope="col">
                  {t('staff.admin.jobs.col.status')}
                </th>
                <th class="kern-table__header" scope="col">
                  {t('staff.admin.jobs.col.count')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {JOB_STATUSES.map(status => (
                <tr class="kern-table__row">
                  <th class="kern-table__cell" scope="row">
                    {t(`staff.admin.jobs.status.${status}`)}
                  </th>
                  <td class="kern-table__cell" safe>
                    {counts[status].toLocaleString(t.locale === 'de' ? 'de-DE' : 'en-GB')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <section class="stack" aria-labelledby="failed-jobs-title">
          <h2 class="kern-heading-medium" id="failed-jobs-title">
            {t('staff.admin.jobs.failed.title')}
          </h2>
          {failed.length === 0 ? (
            <p class="kern-body">{t('staff.admin.jobs.failed.empty')}</p>
          ) : (
            <FailedJobsTable ctx={ctx} jobs={failed} t={t} />
          )}
        </section>
      </div>
    </Layout>
  )
}

function FailedJobsTable({ ctx, jobs, t }: { ctx: PageContext; jobs: FailedJob[]; t: Translate }) {
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-sr-only">{t('staff.admin.jobs.failed.title')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('staff.admin.jobs.col.job')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.jobs.col.attempts')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.jobs.col.failedAt')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.jobs.col.error')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.jobs.col.action')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {jobs.map(job => {
            const [headline = '', ...trace] = (job.lastError ?? '').split('\n')
            const failedAt = job.finishedAt ? formatDateTime(job.finishedAt, t.locale) : '–'
            return (
              <tr class="kern-table__row">
                <td class="kern-table__cell">
                  <code class="kern-body" safe>
                    {job.name}
                  </code>
                  <br />
                  <span class="kern-hint">#{job.id}</span>
                </td>
                <td class="kern-table__cell">{job.attempts}</td>
                <td class="kern-table__cell" safe>
                  {failedAt}
                </td>
                <td class="kern-table__cell">
                  <span class="kern-body" safe>
                    {headline}
                  </span>
                  {trace.length ? (
                    <details>
                      <summary class="kern-link">{t('staff.admin.jobs.failed.details')}</summary>
                      <pre class="kern-body kern-body--small" safe>
                        {trace.join('\n')}
                      </pre>
                    </details>
                  ) : (
                    ''
                  )}
                </td>
                <td class="kern-table__cell">
                  <form method="post" action={`/backoffice/admin/jobs/${job.id}/retry`} class="inline-form">
                    <CsrfField ctx={ctx} />
                    <button
                      type="submit"
                      class="kern-btn kern-btn--secondary kern-btn--x-small"
                      aria-label={t.text('staff.admin.jobs.retryJob', { name: job.name, id: job.id })}
                    >
                      <span class="kern-label">{t('staff.admin.jobs.retry')}</span>
                    </button>
                  </form>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
