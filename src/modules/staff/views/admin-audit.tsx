import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { SelectField, SubmitButton, TextInput } from '../../../platform/views/components.js'
import { AUDIT_ACTIONS } from '../../../platform/audit/audit.js'
import { formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import type { Office } from '../../catalogue/index.js'
import type { AuditLogEntry, AuditLogPage as AuditPageData, AuditQuery } from '../staff.admin.service.js'
import { AdminTabs } from './admin-staff.js'

/** The audit log for data-protection checks: who did what with which personal data, and when. */
export function AuditLogPage({
  ctx,
  page,
  query,
  offices,
}: {
  ctx: PageContext
  page: AuditPageData
  query: AuditQuery
  offices: Office[]
}) {
  const { t } = ctx
  const next = new URLSearchParams()
  for (const key of ['action', 'subject', 'actor', 'from', 'to'] as const) if (query[key]) next.set(key, query[key])
  if (page.nextCursor) next.set('after', String(page.nextCursor))
  return (
    <Layout ctx={ctx} title={t.text('staff.admin.audit.title')} area="backoffice">
      <div class="stack">
        <h1 class="kern-heading-large">{t('staff.admin.audit.title')}</h1>
        <AdminTabs ctx={ctx} current="audit" />
        <p class="kern-body">{t('staff.admin.audit.intro')}</p>
        <form method="get" action="/backoffice/admin/audit">
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{t('staff.admin.audit.filter.legend')}</legend>
            <div class="kern-fieldset__body filters">
              <SelectField
                id="action"
                label={t.text('staff.admin.audit.filter.action')}
                value={query.action ?? ''}
                options={[
                  { value: '', label: t.text('staff.admin.audit.filter.allActions') },
                  ...AUDIT_ACTIONS.map(a => ({ value: a, label: actionLabel(t, a) })),
                ]}
              />
              <TextInput id="subject" label={t.text('staff.admin.audit.filter.subject')} value={query.subject} />
              <TextInput id="actor" type="email" label={t.text('staff.admin.audit.filter.actor')} value={query.actor} />
              <TextInput id="from" type="date" label={t.text('staff.admin.audit.filter.from')} value={query.from} />
              <TextInput id="to" type="date" label={t.text('staff.admin.audit.filter.to')} value={query.to} />
            </div>
          </fieldset>
          <div class="form-actions">
            <SubmitButton label={t.text('staff.admin.audit.filter.apply')} variant="secondary" />
            <a class="kern-link" href="/backoffice/admin/audit">
              {t('staff.admin.audit.filter.reset')}
            </a>
          </div>
        </form>
        {page.entries.length === 0 ? (
          <p class="kern-body">{t(query.after ? 'staff.admin.audit.noMore' : 'staff.admin.audit.empty')}</p>
        ) : (
          <AuditTable entries={page.entries} offices={offices} t={t} />
        )}
        {page.nextCursor ? (
          <p class="kern-body">
            <a class="kern-link" rel="next" href={`/backoffice/admin/audit?${next.toString()}`}>
              {t('staff.admin.audit.nextPage')}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}

const actionLabel = (t: Translate, action: string) => {
  const label = t.text(`staff.admin.audit.action.${action}`)
  return label.startsWith('staff.admin.audit.action.') ? action : label
}

function AuditTable({ entries, offices, t }: { entries: AuditLogEntry[]; offices: Office[]; t: Translate }) {
  const l = t.locale
  const officeName = (id: string | null) => (id ? (offices.find(o => o.id === id)?.name[l] ?? id) : '–')
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-sr-only">{t('staff.admin.audit.title')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('staff.admin.audit.col.when')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.audit.col.who')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.audit.col.what')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.audit.col.subject')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('staff.admin.audit.col.office')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {entries.map(e => (
            <tr class="kern-table__row">
              <td class="kern-table__cell" safe>
                {formatDateTime(e.at, l)}
              </td>
              <td class="kern-table__cell">
                <Actor entry={e} t={t} />
              </td>
              <td class="kern-table__cell">
                <span safe>{actionLabel(t, e.action)}</span>{' '}
                <code class="kern-body kern-body--small" safe>
                  {e.action}
                </code>
              </td>
              <td class="kern-table__cell">
                <Subject entry={e} t={t} />
              </td>
              <td class="kern-table__cell" safe>
                {officeName(e.officeId)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Actor({ entry, t }: { entry: AuditLogEntry; t: Translate }) {
  if (entry.actorStaffId) {
    return entry.actorEmail ? (
      <>
        <span safe>{entry.actorName ?? ''}</span>
        <br />
        <span class="kern-hint" safe>
          {entry.actorEmail}
        </span>
      </>
    ) : (
      <span class="kern-hint">{t('staff.admin.audit.formerStaff')}</span>
    )
  }
  return <span>{t(entry.actorAccountId ? 'staff.admin.audit.citizen' : 'staff.admin.audit.system')}</span>
}

function Subject({ entry, t }: { entry: AuditLogEntry; t: Translate }) {
  const type = t.text(`staff.admin.audit.subject.${entry.subjectType}`)
  const typeLabel = type.startsWith('staff.admin.audit.subject.') ? entry.subjectType : type
  const caseLink = entry.caseId ? (
    <a class="kern-link" href={`/backoffice/cases/${encodeURIComponent(entry.caseId)}`} safe>
      {entry.caseReference ?? entry.caseId}
    </a>
  ) : (
    ''
  )
  if (entry.subjectType === 'case') return <>{caseLink}</>
  return (
    <>
      <span safe>{typeLabel}</span>{' '}
      <code class="kern-body kern-body--small" safe>
        {entry.subjectId}
      </code>
      {caseLink ? (
        <>
          <br />
          <span class="kern-hint">{t('staff.admin.audit.ofCase')}</span> {caseLink}
        </>
      ) : (
        ''
      )}
    </>
  )
}
