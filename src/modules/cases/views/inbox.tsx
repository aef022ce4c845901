import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { StatusBadge, SubmitButton } from '../../../platform/views/components.js'
import { formatDate, type Translate } from '../../../platform/i18n/i18n.js'
import type { Office } from '../../catalogue/index.js'
import type { InboxEntry, InboxQuery, InboxResult } from '../cases.inbox.js'
import { CaseSearchForm } from './search.js'

export function InboxPage({
  ctx,
  result,
  query,
  offices,
}: {
  ctx: PageContext
  result: InboxResult
  query: InboxQuery
  offices: Office[]
}) {
  const { t } = ctx
  const l = ctx.locale
  const officeName = (id: string) => offices.find(o => o.id === id)?.name[l] ?? id
  const statuses = new Map<string, string>()
  for (const s of result.services)
    for (const st of s.workflow.states) if (!statuses.has(st.id)) statuses.set(st.id, st.label[l])
  const next = new URLSearchParams()
  if (result.officeIds.length > 1) next.set('office', result.officeId)
  if (query.service) next.set('service', query.service)
  if (query.status) next.set('status', query.status)
  if (query.assignee) next.set('assignee', query.assignee)
  if (query.overdue) next.set('overdue', '1')
  if (result.nextCursor) next.set('after', result.nextCursor)
  return (
    <Layout ctx={ctx} title={t.text('cases.inbox.title')} area="backoffice">
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>
            {officeName(result.officeId)}
          </p>
          <h1 class="kern-heading-large">{t('cases.inbox.title')}</h1>
        </hgroup>
        <CaseSearchForm t={t} query="" />
        <form method="get" action="/backoffice" class="inbox-filter">
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{t('cases.inbox.filter.legend')}</legend>
            <div class="kern-fieldset__body inbox-filter__fields">
              {result.officeIds.length > 1 ? (
                <div class="kern-form-input">
                  <label class="kern-label" for="office">
                    {t('cases.inbox.filter.office')}
                  </label>
                  <div class="kern-form-input__select-wrapper">
                    <select class="kern-form-input__select" id="office" name="office">
                      {result.officeIds.map(id => (
                        <option value={id} selected={id === result.officeId} safe>
                          {officeName(id)}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
              ) : (
                ''
              )}
              <div class="kern-form-input">
                <label class="kern-label" for="service">
                  {t('cases.inbox.filter.service')}
                </label>
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="service" name="service">
                    <option value="">{t('cases.inbox.filter.all')}</option>
                    {result.services.map(s => (
                      <option value={s.id} selected={s.id === query.service} safe>
                        {s.title[l]}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div class="kern-form-input">
                <label class="kern-label" for="status">
                  {t('cases.inbox.filter.status')}
                </label>
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="status" name="status">
                    <option value="">{t('cases.inbox.filter.all')}</option>
                    {[...statuses].map(([id, label]) => (
                      <option value={id} selected={id === query.status} safe>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div class="kern-form-input">
                <label class="kern-label" for="assignee">
                  {t('cases.inbox.filter.assignee')}
                </label>
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="assignee" name="assignee">
                    <option value="any" selected={!query.assignee || query.assignee === 'any'}>
                      {t('cases.inbox.filter.anyone')}
                    </option>
                    <option value="me" selected={query.assignee === 'me'}>
                      {t('cases.inbox.filter.me')}
                    </option>
                    <option value="unassigned" selected={query.assignee === 'unassigned'}>
                      {t('cases.inbox.filter.unassigned')}
                    </option>
                  </select>
                </div>
              </div>
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  id="overdue"
                  name="overdue"
                  value="1"
                  checked={!!query.overdue}
                />
                <label class="kern-label" for="overdue">
                  {t('cases.inbox.filter.overdue')}
                </label>
              </div>
            </div>
          </fieldset>
          <div class="form-actions">
            <SubmitButton label={t.text('cases.inbox.filter.apply')} variant="secondary" />
            <a
              class="kern-link"
              href={
                result.officeIds.length > 1
                  ? `/backoffice?office=${encodeURIComponent(result.officeId)}`
                  : '/backoffice'
              }
            >
              {t('cases.inbox.filter.reset')}
            </a>
          </div>
        </form>
        {result.entries.length === 0 ? (
          <p class="kern-body">{t(query.after ? 'cases.inbox.noMore' : 'cases.inbox.empty')}</p>
        ) : (
          <InboxTable entries={result.entries} t={t} />
        )}
        {result.nextCursor ? (
          <p class="kern-body">
            <a class="kern-link" rel="next" href={`/backoffice?${next.toString()}`}>
              {t('cases.inbox.nextPage')}
            </a>
          </p>
        ) : (
          ''
        )}
      </div>
    </Layout>
  )
}

function InboxTable({ entries, t }: { entries: InboxEntry[]; t: Translate }) {
  const l = t.locale
  return (
    <div class="kern-table-responsive">
      <table class="kern-table">
        <caption class="kern-sr-only">{t('cases.inbox.title')}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th class="kern-table__header" scope="col">
              {t('cases.inbox.col.reference')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('cases.inbox.col.service')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('cases.inbox.col.applicant')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('cases.inbox.col.status')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('cases.inbox.col.assignee')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('cases.inbox.col.due')}
            </th>
            <th class="kern-table__header" scope="col">
              {t('cases.inbox.col.submitted')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {entries.map(row => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">
                <a class="kern-link" href={`/backoffice/cases/${row.id}`} safe>
                  {row.reference}
                </a>
              </td>
              <td class="kern-table__cell" safe>
                {row.serviceTitle}
              </td>
              <td class="kern-table__cell" safe>
                {row.applicantName}
              </td>
              <td class="kern-table__cell">
                <StatusBadge label={row.statusLabel} outcome={row.outcome} />
              </td>
              <td class="kern-table__cell">
                {row.assigneeName ? (
                  <span safe>{row.assigneeName}</span>
                ) : (
                  <span class="kern-hint">{t('cases.inbox.unassigned')}</span>
                )}
              </td>
              <td class="kern-table__cell">
                {row.dueAt ? <span safe>{formatDate(row.dueAt, l)}</span> : '–'}
                {row.isOverdue ? (
                  <>
                    {' '}
                    <span class="kern-badge kern-badge--danger">{t('cases.inbox.overdue')}</span>
                  </>
                ) : (
                  ''
                )}
              </td>
              <td class="kern-table__cell" safe>
                {formatDate(row.submittedAt, l)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
