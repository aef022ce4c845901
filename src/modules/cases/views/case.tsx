import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  ErrorSummary,
  StatusBadge,
  type FieldError,
  DescriptionItem,
} from '../../../platform/views/components.js'
import { formatDate, formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import type { ServiceDefinition } from '../../catalogue/index.js'
import type { CaseMessage } from '../../postbox/index.js'
import type { CaseDossier } from '../cases.read.js'
import { stateOf, type WorkflowTransition } from '../cases.workflow.js'
import { AnswersSummary, Timeline, describeEvent } from './case-parts.js'
import {
  InvolvementsSection,
  type InvolveFormState,
  type InvolvementsSectionProps,
  type StatementFormState,
} from './involvements.js'
import { LiveRoot, LiveStatus } from './live.js'
import { TextArea } from './text-area.js'
import { FeeNoticeList, PaymentList, type FeeStanding } from '../../payments/index.js'
import { CaseActions, CaseWriting, FeeNextStep } from './case-actions.js'
import { NoticeSection, type NoticeSectionData } from '../../notices/index.js'
import { ReportCaseSection, type ReportSectionData } from '../../reports/index.js'
import { ContactCaseSection, type ContactSectionData } from '../../contact/index.js'
import type { Text } from '../../catalogue/index.js'
import { displayValue, type ExtractedFact, type FactExcerpt } from '../../triage/index.js'

/** A fact found in one of the applicant's free-text answers. */
export interface DetectedFact {
  fieldLabel: Text
  fact: ExtractedFact
  excerpt: FactExcerpt
}

export interface CaseFormState {
  errors: FieldError[]
  note?: string
  subject?: string
  body?: string
  requestsDocuments?: boolean
  documentsDueOn?: string
  /** The case changed since the page was rendered: what the person tried, and the version they saw. */
  conflict?: { action: string; since: number }
  /** A step that waits for payment was tried before the fees were settled. */
  feesOutstanding?: { transition: string; standing: FeeStanding }
  involve?: InvolveFormState
  statement?: StatementFormState
}

export interface CasePageProps {
  ctx: PageContext
  dossier: CaseDossier
  definition: ServiceDefinition
  transitions: WorkflowTransition[]
  /** Where the fees stand, for steps that require payment ('settled' when no such step is offered). */
  feeStanding: FeeStanding
  /** Members of the office a team lead may assign to; null for everyone else. */
  caseworkers: { id: string; name: string }[] | null
  canClaim: boolean
  isOverdue: boolean
  form?: CaseFormState
  /** The Beteiligung section, without the shared parts (ctx, case, errors, typed input). */
  involvements: Omit<InvolvementsSectionProps, 'ctx' | 'caseId' | 'errors' | 'involveForm' | 'statementForm'>
  /** Bescheide: the case's notices and the templates to draft one from. */
  notices?: NoticeSectionData
  /** A defect report: category, place, photos; the office changes the category and publishes photos. */
  report?: ReportSectionData
  /** A free-text enquiry: the pre-sorting model's suggestion; the office forwards it or confirms it. */
  contact?: ContactSectionData
  /** Facts found in the free-text answers, read only. */
  detectedFacts?: DetectedFact[]
}

/**
 * The case view in two columns on wide screens (KERN grid, lg and up): on the left what the caseworker reads to
 * decide (answers, documents, fees, messages, timeline), on the right what they do (status steps, assignment,
 * message, note, notices, involvement). Below 992 px the action column follows the reading one. Everything stays
 * on one page, so it works without JavaScript, prints whole, and every anchor and live region keeps its id.
 */
export function CasePage(props: CasePageProps) {
  const { ctx, dossier, definition, isOverdue, form, report, detectedFacts, contact } = props
  const { t } = ctx
  const l = ctx.locale
  const c = dossier.record
  const state = stateOf(definition, c.status)
  const base = `/backoffice/cases/${c.id}`
  const errors = form?.errors ?? []
  // Only the case's own office acts; an involved office reads, and answers its request in the side column.
  const canAct = dossier.access === 'office'
  const changes = form?.conflict
    ? dossier.events.filter(e => e.caseVersion !== null && e.caseVersion > form.conflict!.since)
    : []
  return (
    <Layout
      ctx={ctx}
      title={`${errors.length || form?.feesOutstanding ? `${t.text('forms.errorPrefix')} ` : ''}${c.reference} – ${t.text('cases.case.title')}`}
      area="backoffice"
    >
      <BackLink href="/backoffice" label={t.text('cases.case.backToInbox')} />
      <ErrorSummary ctx={ctx} errors={errors} />
      <LiveRoot t={t} src={`${base}/live`} page={base} version={c.version}>
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>
            {definition.title[l]}
          </p>
          <h1 class="kern-heading-large" safe>
            {c.reference}
          </h1>
        </hgroup>
        {form?.conflict ? (
          <div class="kern-alert kern-alert--warning" role="alert" id="conflict">
            <div class="kern-alert__header">
              <span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
              <h2 class="kern-title">{t('cases.conflict.title', { action: form.conflict.action })}</h2>
            </div>
            <div class="kern-alert__body stack">
              <p class="kern-body">{t('cases.conflict.since')}</p>
              <ul class="kern-list">
                {changes.length ? (
                  changes.map(e => (
                    <li>
                      <span class="kern-body" safe>{`${formatDateTime(e.at, l)}: `}</span>
                      {describeEvent(e, definition, t, 'staff')}
                    </li>
                  ))
                ) : (
                  <li>{t('cases.conflict.unknown')}</li>
                )}
              </ul>
              <p class="kern-body">{t('cases.conflict.next')}</p>
            </div>
          </div>
        ) : (
          ''
        )}
        {form?.feesOutstanding ? (
          <div class="kern-alert kern-alert--danger" role="alert" id="fees-outstanding">
            <div class="kern-alert__header">
              <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
              <h2 class="kern-title">{t('cases.fees.refused', { transition: form.feesOutstanding.transition })}</h2>
            </div>
            <div class="kern-alert__body">
              <FeeNextStep
                t={t}
                base={base}
                standing={form.feesOutstanding.standing}
                transition={form.feesOutstanding.transition}
              />
            </div>
          </div>
        ) : (
          ''
        )}
        <LiveStatus />
        {definition.processingDeadline.deemedApproval && c.dueAt && !state?.final ? (
          <Alert
            kind="warning"
            title={t.text(c.clockStoppedAt ? 'cases.case.deemedApprovalStopped' : 'cases.case.deemedApproval', {
              date: formatDate(c.dueAt, l),
            })}
          />
        ) : (
          ''
        )}
        <div data-live-region="summary">
          <dl class="kern-description-list kern-description-list--col case-facts">
            <DescriptionItem label={t.text('cases.case.status')}>
              <StatusBadge label={state?.label[l] ?? c.status} outcome={state?.outcome} />
            </DescriptionItem>
            <DescriptionItem label={t.text('cases.case.due')}>
              {c.dueAt ? <span safe>{formatDate(c.dueAt, l)}</span> : '–'}
              {isOverdue && !c.clockStoppedAt ? (
                <>
                  {' '}
                  <span class="kern-badge kern-badge--danger">{t('cases.inbox.overdue')}</span>
                </>
              ) : (
                ''
              )}
              {c.clockStoppedAt ? (
                <>
                  {' '}
                  <span class="kern-badge kern-badge--info">
                    {t('cases.case.clockStopped', { date: formatDate(c.clockStoppedAt, l) })}
                  </span>
                </>
              ) : (
                ''
              )}
            </DescriptionItem>
            <DescriptionItem label={t.text('cases.case.applicant')}>
              <span safe>{c.applicantName}</span>
              {c.applicantEmail ? (
                <>
                  <br />
                  <span class="kern-body kern-body--small" safe>
                    {c.applicantEmail}
                  </span>
                </>
              ) : (
                ''
              )}
            </DescriptionItem>
            <DescriptionItem label={t.text('cases.case.assignee')}>
              {c.assigneeName ? <span safe>{c.assigneeName}</span> : <span>{t('cases.inbox.unassigned')}</span>}
            </DescriptionItem>
            <DescriptionItem label={t.text('cases.case.submitted')}>
              <span safe>{formatDateTime(c.submittedAt, l)}</span>
            </DescriptionItem>
            <DescriptionItem label={t.text('cases.case.channel')}>
              {t(
                c.accountId
                  ? 'cases.case.channelAccount'
                  : c.filedByStaffId
                    ? 'cases.case.channelCounter'
                    : 'cases.case.channelAnonymous',
              )}
            </DescriptionItem>
          </dl>
        </div>

        <p class="kern-body case-jump">
          <a class="kern-link" href="#actions">
            {t('cases.case.jumpToActions')}
          </a>
        </p>
        <div class="kern-row case-columns">
          <div class="kern-col-12 kern-col-lg-8 stack case-reading">
            <section class="stack" aria-labelledby="answers-title" id="answers">
              <h2 class="kern-heading-medium" id="answers-title">
                {t('cases.case.answers')}
              </h2>
              <AnswersSummary definition={definition} answers={c.answers} t={t} />
              {detectedFacts?.length ? <DetectedFacts facts={detectedFacts} t={t} /> : ''}
            </section>

            {report ? (
              <div data-live-region="report">
                <ReportCaseSection ctx={ctx} caseId={c.id} reference={c.reference} version={c.version} data={report} />
              </div>
            ) : (
              ''
            )}

            <section class="stack" aria-labelledby="files-title" id="files">
              <h2 class="kern-heading-medium" id="files-title">
                {t('cases.case.files')}
              </h2>
              <div data-live-region="files">
                {dossier.files.length === 0 ? (
                  <p class="kern-body">{t('cases.case.noFiles')}</p>
                ) : (
                  <ul class="kern-list">
                    {dossier.files.map(f => (
                      <li>
                        <a class="kern-link" href={`${base}/files/${f.id}`} safe>
                          {f.filename}
                        </a>{' '}
                        <span
                          class="kern-hint"
                          safe
                        >{`${Math.max(1, Math.round(f.sizeBytes / 1024))} KB · ${formatDateTime(f.createdAt, l)}`}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
              <p class="kern-body">
                <a class="kern-link" href={`${base}/file`}>
                  {t('efile.link.open')}
                </a>{' '}
                <span class="kern-hint">{t('efile.link.hint')}</span>
              </p>
            </section>

            <div data-live-region="payments">
              {dossier.payments.length || definition.fees ? (
                <section class="stack" aria-labelledby="payments-title" id="payments">
                  <h2 class="kern-heading-medium" id="payments-title">
                    {t('payments.list.title')}
                  </h2>
                  <PaymentList payments={dossier.payments} t={t} canRefund={canAct} />
                  <FeeNoticeList
                    notices={dossier.feeNotices}
                    t={t}
                    audience="staff"
                    csrfToken={canAct ? ctx.csrfToken : undefined}
                  />
                </section>
              ) : (
                ''
              )}
            </div>

            <section class="stack" aria-labelledby="messages-title" id="messages">
              <h2 class="kern-heading-medium" id="messages-title">
                {t('cases.case.messages')}
              </h2>
              <div data-live-region="messages">
                <MessageList messages={dossier.messages} t={t} caseBase={base} />
              </div>
            </section>

            <section class="stack" aria-labelledby="timeline-title" id="timeline">
              <h2 class="kern-heading-medium" id="timeline-title">
                {t('cases.case.timeline')}
              </h2>
              <div data-live-region="timeline">
                <Timeline events={dossier.events} definition={definition} t={t} audience="staff" />
              </div>
            </section>
          </div>

          <div class="kern-col-12 kern-col-lg-4 stack case-acting">
            <CaseActions {...props} base={base} canAct={canAct} />
            {contact ? (
              <div data-live-region="contact">
                <ContactCaseSection ctx={ctx} caseId={c.id} version={c.version} data={contact} errors={errors} />
              </div>
            ) : (
              ''
            )}
            {canAct ? <CaseWriting {...props} base={base} /> : ''}
            {props.notices ? <NoticeSection ctx={ctx} caseId={c.id} data={props.notices} /> : ''}
            <InvolvementsSection
              {...props.involvements}
              ctx={ctx}
              caseId={c.id}
              errors={errors}
              involveForm={form?.involve}
              statementForm={form?.statement}
            />
          </div>
        </div>
      </LiveRoot>
      <script src="/assets/case-live.js" defer></script>
    </Layout>
  )
}

export { TextArea }

function MessageList({ messages, t, caseBase }: { messages: CaseMessage[]; t: Translate; caseBase: string }) {
  if (messages.length === 0) return <p class="kern-body">{t('cases.case.noMessages')}</p>
  return (
    <ul class="kern-list">
      {messages.map(m => (
        <li class="case-message">
          <p class="kern-body">
            <strong safe>{m.subject}</strong>{' '}
            <span class={`kern-badge kern-badge--${m.direction === 'to_applicant' ? 'info' : 'success'}`}>
              {t(m.direction === 'to_applicant' ? 'cases.case.messageOut' : 'cases.case.messageIn')}
            </span>
            {m.requestsDocuments ? (
              <>
                {' '}
                <span class="kern-badge kern-badge--warning">
                  {t(m.documentsProvidedAt ? 'cases.case.documentsProvided' : 'cases.case.documentsRequested')}
                </span>
              </>
            ) : (
              ''
            )}
          </p>
          <p
            class="kern-hint"
            safe
          >{`${formatDateTime(m.createdAt, t.locale)}${m.senderStaffName ? ` · ${m.senderStaffName}` : ''}`}</p>
          <p class="kern-body message-body preserve-lines" safe>
            {m.body}
          </p>
          {m.files.length ? (
            <ul class="kern-list">
              {m.files.map(f => (
                <li>
                  <a class="kern-link" href={`${caseBase}/files/${f.id}`} safe>
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
  )
}

/** "Detected details": facts in the free-text answers for the caseworker to copy; collapsed, read only. */
function DetectedFacts({ facts, t }: { facts: DetectedFact[]; t: Translate }) {
  return (
    <details class="kern-accordion" id="detected-facts">
      <summary class="kern-accordion__header">
        <span class="kern-title">{t('cases.facts.title', { count: facts.length })}</span>
      </summary>
      <div class="kern-accordion__body stack">
        <p class="kern-body">{t('cases.facts.hint')}</p>
        <table class="kern-table">
          <caption class="kern-sr-only">{t('cases.facts.caption')}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">
                {t('cases.facts.kind')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('cases.facts.value')}
              </th>
              <th class="kern-table__header" scope="col">
                {t('cases.facts.where')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {facts.map(f => (
              <tr class="kern-table__row">
                <td class="kern-table__cell" safe>
                  {t.text(`triage.fact.${f.fact.kind}`)}
                </td>
                <td class="kern-table__cell">
                  <code safe>{displayValue(f.fact)}</code>
                </td>
                <td class="kern-table__cell">
                  <span safe>{`${f.fieldLabel[t.locale]}: „`}</span>
                  <span safe>{f.excerpt.before}</span>
                  <mark safe>{f.excerpt.found}</mark>
                  <span safe>{`${f.excerpt.after}“`}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}
