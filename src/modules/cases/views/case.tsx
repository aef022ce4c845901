import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, BackLink, ErrorSummary, StatusBadge, DescriptionItem } from '../../../platform/views/components.js'
import { formatDate, formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import type { CaseMessage } from '../../postbox/index.js'
import { stateOf } from '../cases.workflow.js'
import { AnswersSummary, CaseIdentification, Timeline, describeEvent } from './case-parts.js'
import { InvolvementsSection } from './involvements.js'
import { LiveRoot, LiveStatus } from './live.js'
import { CaseActions, CaseWriting } from './case-actions.js'
import { actedForText } from './acted-for.js'
import type { CasePageProps } from './case-page-props.js'
import { KERNEL_ORDER, type CaseKernel, type CaseSectionPlace } from '../cases.kernel.js'
import type { TransitionRefused } from '../cases.errors.js'

/** The features' sections of one place, each with its order, for placing them among the kernel's own parts. */
function sectionsAt(props: CasePageProps, place: CaseSectionPlace, base: string, canAct: boolean) {
  const { ctx, dossier, form } = props
  return props.sections
    .filter(({ section }) => section.place === place)
    .map(({ section, data }) => ({
      order: section.order,
      html: section.View({ data, ctx, record: dossier.record, base, canAct, form }),
    }))
}

/** Kernel parts and feature sections by their order (a stable sort: equal orders keep the kernel's part first). */
function inOrder(parts: { order: number; html: JSX.Element }[]): JSX.Element[] {
  return [...parts].sort((a, b) => a.order - b.order).map(p => p.html)
}

/**
 * The case view in two columns on wide screens (KERN grid, lg and up): on the left what the caseworker reads to
 * decide (answers, documents, fees, messages, timeline), on the right what they do (status steps, assignment,
 * message, note, notices, involvement). Below 992 px the action column follows the reading one. Everything stays
 * on one page, so it works without JavaScript, prints whole, and every anchor and live region keeps its id.
 */
export function CasePage(props: CasePageProps) {
  const { ctx, dossier, definition, isOverdue, form, kernel } = props
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
      title={`${errors.length || form?.refused ? `${t.text('forms.errorPrefix')} ` : ''}${c.reference} – ${t.text('cases.case.title')}`}
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
                      {describeEvent(e, definition, t, 'staff', kernel.events)}
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
        {form?.refused ? <RefusedStep refused={form.refused} kernel={kernel} ctx={ctx} base={base} /> : ''}
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
              {actedForText(t, c) ? (
                <>
                  <br />
                  <span class="kern-body kern-body--small" safe>
                    {actedForText(t, c)}
                  </span>
                </>
              ) : (
                ''
              )}
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
            <DescriptionItem label={t.text('cases.identification.title')}>
              <CaseIdentification record={c} t={t} />
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
            {inOrder([
              {
                order: KERNEL_ORDER.main.answers,
                html: (
                  <section class="stack" aria-labelledby="answers-title" id="answers">
                    <h2 class="kern-heading-medium" id="answers-title">
                      {t('cases.case.answers')}
                    </h2>
                    <AnswersSummary definition={definition} answers={c.answers} t={t} />
                    {sectionsAt(props, 'answers', base, canAct).map(p => p.html)}
                  </section>
                ),
              },
              {
                order: KERNEL_ORDER.main.files,
                html: (
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
                ),
              },
              {
                order: KERNEL_ORDER.main.messages,
                html: (
                  <section class="stack" aria-labelledby="messages-title" id="messages">
                    <h2 class="kern-heading-medium" id="messages-title">
                      {t('cases.case.messages')}
                    </h2>
                    <div data-live-region="messages">
                      <MessageList messages={dossier.messages} t={t} caseBase={base} />
                    </div>
                  </section>
                ),
              },
              {
                order: KERNEL_ORDER.main.timeline,
                html: (
                  <section class="stack" aria-labelledby="timeline-title" id="timeline">
                    <h2 class="kern-heading-medium" id="timeline-title">
                      {t('cases.case.timeline')}
                    </h2>
                    <div data-live-region="timeline">
                      <Timeline
                        events={dossier.events}
                        definition={definition}
                        t={t}
                        audience="staff"
                        describers={kernel.events}
                      />
                    </div>
                  </section>
                ),
              },
              ...sectionsAt(props, 'main', base, canAct),
            ])}
          </div>

          <div class="kern-col-12 kern-col-lg-4 stack case-acting">
            {inOrder([
              {
                order: KERNEL_ORDER.side.actions,
                html: (
                  <CaseActions {...props} base={base} canAct={canAct}>
                    {sectionsAt(props, 'actions', base, canAct).map(p => p.html)}
                  </CaseActions>
                ),
              },
              { order: KERNEL_ORDER.side.writing, html: canAct ? <CaseWriting {...props} base={base} /> : '' },
              {
                order: KERNEL_ORDER.side.involvements,
                html: (
                  <InvolvementsSection
                    {...props.involvements}
                    ctx={ctx}
                    caseId={c.id}
                    errors={errors}
                    involveForm={form?.involve}
                    statementForm={form?.statement}
                  />
                ),
              },
              ...sectionsAt(props, 'side', base, canAct),
            ])}
          </div>
        </div>
      </LiveRoot>
      <script src="/assets/case-live.js" defer></script>
    </Layout>
  )
}

/** What a guard said when it refused a step that was tried, at the top of the page. */
function RefusedStep({
  refused,
  kernel,
  ctx,
  base,
}: {
  refused: TransitionRefused
  kernel: CaseKernel
  ctx: PageContext
  base: string
}) {
  const guard = kernel.guards.find(g => g.id === refused.guardId)
  return guard ? guard.Refused({ ctx, base, transition: refused.transition, refusal: refused.refusal }) : ''
}

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
