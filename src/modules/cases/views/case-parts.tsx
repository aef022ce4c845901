import { formatDate, formatDateTime, formatMoney, type Translate } from '../../../platform/i18n/i18n.js'
import { type Answers, formatAnswer, visibleFields, visiblePages } from '../../forms/index.js'
import type { ServiceDefinition } from '../../catalogue/index.js'
import type { CaseEvent, CaseRecord } from '../cases.queries.js'
import { stateOf } from '../cases.workflow.js'
import type { CaseEventDescriber } from '../cases.kernel.js'

/**
 * One timeline entry as a sentence in the reader's language (safe markup: t() escapes its parameters). Entries of
 * kinds a feature describes (the kernel's `events`) are described by it.
 */
export function describeEvent(
  event: CaseEvent,
  definition: ServiceDefinition,
  t: Translate,
  audience: 'staff' | 'applicant',
  describers: readonly CaseEventDescriber[] = [],
): JSX.Element {
  const describer = describers.find(d => d.kinds.includes(event.kind))
  if (describer) return describer.describe(event, t, audience)
  const label = (status: unknown) =>
    typeof status === 'string' ? (stateOf(definition, status)?.label[t.locale] ?? status) : ''
  const name = event.actorStaffName ?? ''
  const d = event.data
  switch (event.kind) {
    case 'submitted':
      return t(d.onBehalf ? 'cases.event.submittedOnBehalf' : 'cases.event.submitted')
    case 'claimed':
      return t('cases.event.claimed', { name })
    case 'assigned':
      return typeof d.assigneeName === 'string' && d.assigneeName
        ? t('cases.event.assigned', { name, assignee: d.assigneeName })
        : t('cases.event.unassigned', { name })
    case 'transition':
      return audience === 'staff'
        ? t('cases.event.transitionBy', { name, status: label(d.to) })
        : t('cases.event.transition', { status: label(d.to) })
    case 'note':
      return t('cases.event.note', { name })
    case 'message_sent':
      return audience === 'staff' ? t('cases.event.messageSentBy', { name }) : t('cases.event.messageSent')
    case 'documents_requested':
      return audience === 'staff'
        ? t('cases.event.documentsRequestedBy', { name })
        : t('cases.event.documentsRequested')
    case 'message_received':
      return t('cases.event.messageReceived')
    case 'documents_provided':
      return t('cases.event.documentsProvided', { count: typeof d.fileCount === 'number' ? d.fileCount : 0 })
    case 'payment_paid':
      return t('payments.event.paid', {
        amount: typeof d.amountCents === 'number' ? formatMoney(d.amountCents, t.locale) : '',
        reference: typeof d.reference === 'string' ? d.reference : '',
      })
    case 'fee_notice_issued':
      return t('payments.event.noticeIssued', {
        amount: typeof d.amountCents === 'number' ? formatMoney(d.amountCents, t.locale) : '',
        number: typeof d.number === 'string' ? d.number : '',
      })
    case 'fee_notice_cancelled':
      return t('payments.event.noticeCancelled', { number: typeof d.number === 'string' ? d.number : '' })
    case 'deadline_escalated':
      return t('cases.event.deadlineEscalated')
    case 'deadline_resumed':
      return t('cases.event.deadlineResumed', {
        days: typeof d.pausedDays === 'number' ? d.pausedDays : 0,
        due: typeof d.dueAt === 'string' ? formatDate(d.dueAt, t.locale) : '',
      })
    case 'payment_refunded':
      return t('payments.event.refunded', {
        amount: typeof d.amountCents === 'number' ? formatMoney(d.amountCents, t.locale) : '',
        reference: typeof d.reference === 'string' ? d.reference : '',
      })
    case 'notice_signed':
      return audience === 'staff'
        ? t('notices.event.signedBy', { name, title: typeof d.title === 'string' ? d.title : '' })
        : t('notices.event.signed', { title: typeof d.title === 'string' ? d.title : '' })
    case 'involvement_requested':
      return t('cases.event.involvementRequested', {
        name,
        office: officeOf(d, t),
        due: typeof d.dueOn === 'string' ? formatDate(d.dueOn, t.locale) : '',
      })
    case 'involvement_answered':
      return t('cases.event.involvementAnswered', { name, office: officeOf(d, t) })
    case 'involvement_withdrawn':
      return t('cases.event.involvementWithdrawn', { name, office: officeOf(d, t) })
    case 'report_category_changed':
      return t('reports.event.categoryChanged', {
        name,
        category: officeOf({ office: d.category }, t),
        office: officeOf({ office: d.office, officeId: d.toOffice }, t),
      })
    case 'report_category_confirmed':
      return t('reports.event.categoryConfirmed', { name, category: officeOf({ office: d.category }, t) })
    case 'report_photos_published':
      return t('reports.event.photosPublished', { name })
    case 'report_photos_withdrawn':
      return t('reports.event.photosWithdrawn', { name })
    default:
      return t('cases.event.other')
  }
}

/** The office an involvement event names, in the reader's language (stored with the event, as it was then called). */
function officeOf(data: Record<string, unknown>, t: Translate): string {
  const office = data.office as { de?: unknown; en?: unknown } | undefined
  const name = office?.[t.locale]
  return typeof name === 'string' ? name : typeof data.officeId === 'string' ? data.officeId : ''
}

export function Timeline({
  events,
  definition,
  t,
  audience,
  describers,
}: {
  events: CaseEvent[]
  definition: ServiceDefinition
  t: Translate
  audience: 'staff' | 'applicant'
  describers?: readonly CaseEventDescriber[]
}) {
  if (events.length === 0) return <p class="kern-body">{t('cases.timeline.empty')}</p>
  return (
    <ol class="kern-list case-timeline">
      {events.map(event => (
        <li>
          <span class="kern-body kern-body--small">
            <time datetime={new Date(event.at).toISOString()} safe>
              {formatDateTime(event.at, t.locale)}
            </time>
          </span>
          {' – '}
          <span class="kern-body">{describeEvent(event, definition, t, audience, describers)}</span>
          {event.internal ? (
            <>
              {' '}
              <span class="kern-badge kern-badge--info">{t('cases.timeline.internal')}</span>
            </>
          ) : (
            ''
          )}
          {event.kind === 'note' && typeof event.data.text === 'string' ? (
            <blockquote class="kern-body case-note preserve-lines" safe>
              {event.data.text}
            </blockquote>
          ) : (
            ''
          )}
          {(event.kind === 'message_sent' || event.kind === 'documents_requested') &&
          typeof event.data.subject === 'string' ? (
            <>
              {' '}
              <span class="kern-body" safe>{`„${event.data.subject}“`}</span>
            </>
          ) : (
            ''
          )}
        </li>
      ))}
    </ol>
  )
}

/** The submitted answers, page by page, as the applicant gave them. */
export function AnswersSummary({
  definition,
  answers,
  t,
  headingLevel = 3,
}: {
  definition: ServiceDefinition
  answers: Record<string, unknown>
  t: Translate
  headingLevel?: 2 | 3
}) {
  const given = answers as Answers
  const l = t.locale
  return (
    <>
      {/* Not named regions: a form page called like a section of the case ("Unterlagen") would make two landmarks of one name. */}
      {visiblePages(definition, given).map(page => (
        <section class="kern-summary">
          <div class="kern-summary__header">
            {headingLevel === 2 ? (
              <h2 class="kern-title" safe>
                {page.title[l]}
              </h2>
            ) : (
              <h3 class="kern-title" safe>
                {page.title[l]}
              </h3>
            )}
          </div>
          <div class="kern-summary__body">
            <dl class="kern-description-list">
              {visibleFields(page, given).map(field => (
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key" safe>
                    {field.label[l]}
                  </dt>
                  <dd class="kern-description-list-item__value preserve-lines" safe>
                    {formatAnswer(field, given[field.id], l)}
                  </dd>
                </div>
              ))}
            </dl>
          </div>
        </section>
      ))}
    </>
  )
}

/**
 * How sure the platform was of who submitted the case: the eIDAS level and the identity provider, or the counter where
 * staff identified the person in person. Safe markup (t() escapes the provider's name).
 */
export function CaseIdentification({
  record,
  t,
}: {
  record: Pick<CaseRecord, 'assurance' | 'identityProvider' | 'accountId'>
  t: Translate
}) {
  if (record.assurance === null) return t('cases.identification.counter')
  const level = t.text(`cases.identification.level.${record.assurance}`)
  if (record.identityProvider) return t('cases.identification.provider', { level, provider: record.identityProvider })
  return t(record.accountId ? 'cases.identification.password' : 'cases.identification.none', { level })
}
