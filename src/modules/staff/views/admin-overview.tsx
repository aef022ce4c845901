import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import type { AdminOverview } from '../staff.admin.overview.js'
import { AdminTabs } from './admin-staff.js'

interface AdminFunction {
  id: string
  href: string
  figure?: string
  warning?: boolean
}

/** The administration's start page: every function the person may use, one line each, with a live figure where cheap. */
export function AdminOverviewPage({ ctx, overview }: { ctx: PageContext; overview: AdminOverview }) {
  const { t } = ctx
  const n = (value: number) => value.toLocaleString(ctx.locale === 'de' ? 'de-DE' : 'en-GB')
  const functions: AdminFunction[] = [
    {
      id: 'staff',
      href: '/backoffice/admin/staff',
      figure: t.text('staff.admin.overview.staff.figure', {
        people: n(overview.staffCount),
        offices: n(overview.officeIds.length),
      }),
    },
    { id: 'audit', href: '/backoffice/admin/audit' },
  ]
  if (overview.platform) {
    const { jobs, activeApiKeys } = overview.platform
    functions.push(
      {
        id: 'jobs',
        href: '/backoffice/admin/jobs',
        figure: t.text('staff.admin.overview.jobs.figure', { failed: n(jobs.failed), queued: n(jobs.queued) }),
        warning: jobs.failed > 0,
      },
      {
        id: 'apiKeys',
        href: '/backoffice/admin/api-keys',
        figure: t.text('staff.admin.overview.apiKeys.figure', { count: n(activeApiKeys) }),
      },
    )
  }
  functions.push({ id: 'triage', href: '/backoffice/triage' })
  return (
    <Layout ctx={ctx} title={t.text('staff.admin.overview.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('staff.admin.overview.title')}</h1>
        <AdminTabs ctx={ctx} current="overview" />
        <p class="kern-body">
          {t(overview.platform ? 'staff.admin.overview.introPlatform' : 'staff.admin.overview.introOffice')}
        </p>
        <ul class="kern-list stack">
          {functions.map(f => (
            <li>
              <article class="kern-card" aria-labelledby={`admin-${f.id}`}>
                <div class="kern-card__container">
                  <div class="kern-card__header">
                    <h2 class="kern-title" id={`admin-${f.id}`}>
                      <a class="kern-link" href={f.href}>
                        {t(`staff.admin.overview.${f.id}.title`)}
                      </a>
                    </h2>
                  </div>
                  <div class="kern-card__body">
                    <p class="kern-body">{t(`staff.admin.overview.${f.id}.text`)}</p>
                    {f.figure ? (
                      <p class="kern-body">
                        <span class={`kern-badge ${f.warning ? 'kern-badge--danger' : 'kern-badge--info'}`} safe>
                          {f.figure}
                        </span>
                      </p>
                    ) : (
                      ''
                    )}
                  </div>
                </div>
              </article>
            </li>
          ))}
        </ul>
      </div>
    </Layout>
  )
}
