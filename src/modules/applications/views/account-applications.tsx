import type { BookingRow } from '../../booking/index.js'
import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, BackLink, DescriptionItem, StatusBadge } from '../../../platform/views/components.js'
import { formatDate, formatDateTime } from '../../../platform/i18n/i18n.js'
import type { ServiceDefinition } from '../../catalogue/index.js'
import {
  actedForText,
  AnswersSummary,
  CaseIdentification,
  Timeline,
  type CaseEvent,
  type CaseRecord,
} from '../../cases/index.js'
import { FeeNoticeList, PaymentList, type FeeNoticeRow, type PaymentSummary } from '../../payments/index.js'
import type { CaseMessage } from '../../postbox/index.js'

export interface ApplicationEntry {
  id: string
  reference: string
  serviceTitle: string
  statusLabel: string
  outcome: string | null
  submittedAt: Date
  /** "Gestellt von … für …" when someone acted for someone else; null otherwise. */
  actedFor: string | null
}
export interface DraftEntry {
  id: string
  serviceTitle: string
  updatedAt: Date
}

export function ApplicationsPage({
  ctx,
  applications,
  drafts,
  sections = [],
}: {
  ctx: PageContext
  applications: ApplicationEntry[]
  drafts: DraftEntry[]
  /** What features add after the applications (ApplicationsPagePart), already rendered. */
  sections?: JSX.Element[]
}) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('postbox.applications.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('postbox.applications.title')}</h1>
        {drafts.length ? (
          <section class="stack" aria-labelledby="drafts-title">
            <h2 class="kern-heading-medium" id="drafts-title">
              {t('postbox.applications.drafts')}
            </h2>
            <ul class="kern-list">
              {drafts.map(d => (
                <li>
                  <span class="kern-body" safe>
                    {d.serviceTitle}
                  </span>{' '}
                  <span class="kern-hint" safe>
                    {t.text('postbox.applications.savedAt', { date: formatDateTime(d.updatedAt, l) })}
                  </span>{' '}
                  <a class="kern-link" href={`/applications/${d.id}/check`}>
                    {t('postbox.applications.continue')}
                    <span class="kern-sr-only" safe>{`: ${d.serviceTitle}`}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}
        <section class="stack" aria-labelledby="submitted-title">
          <h2 class="kern-heading-medium" id="submitted-title">
            {t('postbox.applications.submitted')}
          </h2>
          {applications.length === 0 ? (
            <p class="kern-body">{t('postbox.applications.empty')}</p>
          ) : (
            <div class="kern-table-responsive">
              <table class="kern-table">
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th class="kern-table__header" scope="col">
                      {t('postbox.applications.col.reference')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('postbox.applications.col.service')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('postbox.applications.col.status')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('postbox.applications.col.submitted')}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {applications.map(a => (
                    <tr class="kern-table__row">
                      <td class="kern-table__cell">
                        <a class="kern-link" href={`/account/applications/${a.id}`} safe>
                          {a.reference}
                        </a>
                      </td>
                      <td class="kern-table__cell">
                        <span safe>{a.serviceTitle}</span>
                        {a.actedFor ? (
                          <>
                            <br />
                            <span class="kern-hint" safe>
                              {a.actedFor}
                            </span>
                          </>
                        ) : (
                          ''
                        )}
                      </td>
                      <td class="kern-table__cell">
                        <StatusBadge label={a.statusLabel} outcome={a.outcome} />
                      </td>
                      <td class="kern-table__cell" safe>
                        {formatDate(a.submittedAt, l)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {sections}
      </div>
    </Layout>
  )
}

export function ApplicationPage({
  ctx,
  record,
  definition,
  events,
  messages,
  payments,
  feeNotices,
  appointments = [],
}: {
  ctx: PageContext
  record: CaseRecord
  definition: ServiceDefinition
  events: CaseEvent[]
  messages: CaseMessage[]
  payments: PaymentSummary[]
  feeNotices: FeeNoticeRow[]
  /** The appointments booked for the case (a service that ends by booking one). */
  appointments?: BookingRow[]
}) {
  const { t } = ctx
  const l = ctx.locale
  const live = appointments.filter(b => b.status === 'booked')
  const state = definition.workflow.states.find(s => s.id === record.status)
  return (
    <Layout ctx={ctx} title={`${record.reference} – ${t.text('postbox.application.title')}`}>
      <BackLink href="/account/applications" label={t.text('postbox.application.back')} />
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>
            {definition.title[l]}
          </p>
          <h1 class="kern-heading-large" safe>
            {record.reference}
          </h1>
        </hgroup>
        {actedForText(t, record) ? (
          <p class="kern-body" safe>
            {actedForText(t, record)}
          </p>
        ) : (
          ''
        )}
        {state?.final ? (
          <Alert
            kind={state.outcome === 'approved' ? 'success' : state.outcome === 'rejected' ? 'danger' : 'info'}
            title={t.text('postbox.application.outcome', { status: state.label[l] })}
          />
        ) : (
          <p class="kern-body">
            {t('postbox.application.currentStatus')}{' '}
            <StatusBadge label={state?.label[l] ?? record.status} outcome={state?.outcome} />
          </p>
        )}
        {definition.processingDeadline.deemedApproval && record.dueAt && !state?.final ? (
          <Alert
            kind="info"
            title={t.text(
              record.clockStoppedAt
                ? 'postbox.application.deemedApprovalStopped'
                : 'postbox.application.deemedApproval',
              { date: formatDate(record.dueAt, l) },
            )}
          />
        ) : (
          ''
        )}
        <dl class="kern-description-list">
          <DescriptionItem label={t.text('cases.identification.title')}>
            <CaseIdentification record={record} t={t} />
          </DescriptionItem>
        </dl>
        {definition.appointment || appointments.length ? (
          <section class="stack" aria-labelledby="appointments-title">
            <h2 class="kern-heading-medium" id="appointments-title">
              {t('appointments.case.title')}
            </h2>
            <ul class="kern-list">
              {appointments.map(b => (
                <li>
                  <a class="kern-link" href={`/account/termine/${b.id}`} safe>
                    {`${formatDateTime(b.starts_at, l)} · ${b.reference} · ${t.text(`appointments.statusName.${b.status}`)}`}
                  </a>
                </li>
              ))}
            </ul>
            {definition.appointment && !live.length && !state?.final ? (
              <p class="kern-body">
                <a class="kern-link" href={`/termine?fall=${record.id}`}>
                  {t('appointments.application.book')}
                </a>
              </p>
            ) : (
              ''
            )}
          </section>
        ) : (
          ''
        )}
        {payments.length || feeNotices.length ? (
          <section class="stack" aria-labelledby="payments-title">
            <h2 class="kern-heading-medium" id="payments-title">
              {t('payments.list.title')}
            </h2>
            <FeeNoticeList notices={feeNotices} t={t} audience="applicant" />
            {payments.length ? <PaymentList payments={payments} t={t} /> : ''}
          </section>
        ) : (
          ''
        )}
        <section class="stack" aria-labelledby="timeline-title">
          <h2 class="kern-heading-medium" id="timeline-title">
            {t('postbox.application.timeline')}
          </h2>
          <Timeline events={events} definition={definition} t={t} audience="applicant" />
        </section>
        <section class="stack" aria-labelledby="messages-title">
          <h2 class="kern-heading-medium" id="messages-title">
            {t('postbox.application.messages')}
          </h2>
          {messages.length === 0 ? (
            <p class="kern-body">{t('postbox.application.noMessages')}</p>
          ) : (
            <ul class="kern-list">
              {messages.map(m => (
                <li>
                  <p class="kern-body">
                    {m.direction === 'to_applicant' ? (
                      <a class="kern-link" href={`/account/postbox/${m.id}`} safe>
                        {m.subject}
                      </a>
                    ) : (
                      <strong safe>{m.subject}</strong>
                    )}{' '}
                    <span class="kern-badge kern-badge--info">
                      {t(m.direction === 'to_applicant' ? 'postbox.message.fromOffice' : 'postbox.message.fromYou')}
                    </span>
                  </p>
                  <p class="kern-hint" safe>
                    {formatDateTime(m.createdAt, l)}
                  </p>
                  {m.direction === 'from_applicant' ? (
                    <p class="kern-body message-body preserve-lines" safe>
                      {m.body}
                    </p>
                  ) : (
                    ''
                  )}
                  {m.files.length ? (
                    <ul class="kern-list">
                      {m.files.map(f => (
                        <li>
                          <a class="kern-link" href={`/account/files/${f.id}`} safe>
                            {f.filename}
                          </a>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    ''
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="stack" aria-labelledby="answers-title">
          <h2 class="kern-heading-medium" id="answers-title">
            {t('postbox.application.answers')}
          </h2>
          <AnswersSummary definition={definition} answers={record.answers} t={t} />
        </section>
      </div>
    </Layout>
  )
}
