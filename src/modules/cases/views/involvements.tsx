import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  CsrfField,
  SubmitButton,
  TextInput,
  type FieldError,
  DescriptionItem,
} from '../../../platform/views/components.js'
import { formatDate, formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import type { Office } from '../../catalogue/index.js'
import type { Involvement } from '../cases.involvements.queries.js'
import type { InvolvementListEntry } from '../cases.involvements.js'
import { STATEMENT_FILES_MAX } from '../cases.involvements.js'
import { TextArea } from './text-area.js'
import { LiveRoot, LiveStatus } from './live.js'

export interface InvolveFormState {
  officeId: string
  task: string
  dueOn: string
}

/** What a refused statement save shows: the person's text stays in the form, the saved one beside it. */
export interface StatementFormState {
  involvementId: string
  text: string
  saved?: { text: string; by: string | null; at: Date | null; version: number }
}

export interface InvolvementsSectionProps {
  ctx: PageContext
  caseId: string
  involvements: Involvement[]
  offices: Office[]
  /** Offices where the viewer works on cases: their office's request is answered by them. */
  viewerOfficeIds: string[]
  today: string
  /** The lead office's request form; null for an involved office (it reads, it does not involve others). */
  request: {
    leadOfficeId: string
    suggestions: { officeId: string; task: string }[]
    defaultDueOn: string
    prefill?: InvolveFormState
  } | null
  errors: FieldError[]
  involveForm?: InvolveFormState
  statementForm?: StatementFormState
}

const officeName = (offices: Office[], id: string, t: Translate) => offices.find(o => o.id === id)?.name[t.locale] ?? id

/**
 * Beteiligung on the case view: every request with its state, the statements given (a draft only to its own
 * office), the involved office's statement form, and the lead office's request form.
 */
export function InvolvementsSection(props: InvolvementsSectionProps) {
  const { ctx, involvements, request } = props
  const { t } = ctx
  return (
    <section class="stack" aria-labelledby="involvements-title" id="involvements">
      <h2 class="kern-heading-medium" id="involvements-title">
        {t('cases.involvement.title')}
      </h2>
      <div class="stack" data-live-region="involvements">
        {involvements.length === 0 ? (
          <p class="kern-body">{t('cases.involvement.none')}</p>
        ) : (
          <ul class="kern-list involvement-list">
            {involvements.map(i => (
              <InvolvementItem {...props} involvement={i} />
            ))}
          </ul>
        )}
      </div>
      <div class="stack" data-live-region="involve-form">
        {request ? <RequestForm {...props} request={request} /> : ''}
      </div>
    </section>
  )
}

function InvolvementItem(props: InvolvementsSectionProps & { involvement: Involvement }) {
  const { ctx, caseId, involvement: i, offices, viewerOfficeIds, today, request } = props
  const { t } = ctx
  const l = ctx.locale
  const base = `/backoffice/cases/${caseId}/involvements/${i.id}`
  const ownOffice = viewerOfficeIds.includes(i.officeId)
  const overdue = i.status === 'requested' && i.dueOn < today
  const showStatement =
    i.status === 'answered' || (ownOffice && i.status === 'requested' && (i.statement || i.files.length))
  return (
    <li class="stack involvement" id={`involvement-${i.id}`}>
      <h3 class="kern-heading-small">
        <span safe>{officeName(offices, i.officeId, t)}</span> <InvolvementStatusBadge status={i.status} t={t} />
        {overdue ? (
          <>
            {' '}
            <span class="kern-badge kern-badge--danger">{t('cases.involvement.overdue')}</span>
          </>
        ) : (
          ''
        )}
      </h3>
      <dl class="kern-description-list">
        <DescriptionItem label={t.text('cases.involvement.task')}>
          <span class="preserve-lines" safe>
            {i.task}
          </span>
        </DescriptionItem>
        <DescriptionItem label={t.text('cases.involvement.dueOn')}>
          <span safe>{formatDate(i.dueOn, l)}</span>
        </DescriptionItem>
        <DescriptionItem label={t.text('cases.involvement.requested')}>
          <span safe>{`${formatDateTime(i.requestedAt, l)}${i.requestedByName ? ` · ${i.requestedByName}` : ''}`}</span>
        </DescriptionItem>
        {i.answeredAt ? (
          <DescriptionItem label={t.text('cases.involvement.answered')}>
            <span safe>{`${formatDateTime(i.answeredAt, l)}${i.answeredByName ? ` · ${i.answeredByName}` : ''}`}</span>
          </DescriptionItem>
        ) : (
          ''
        )}
        {i.withdrawnAt ? (
          <DescriptionItem label={t.text('cases.involvement.withdrawn')}>
            <span
              safe
            >{`${formatDateTime(i.withdrawnAt, l)}${i.withdrawnByName ? ` · ${i.withdrawnByName}` : ''}`}</span>
          </DescriptionItem>
        ) : (
          ''
        )}
      </dl>
      {showStatement && i.status === 'answered' ? (
        <div class="stack">
          <h4 class="kern-label">{t('cases.involvement.statement')}</h4>
          <blockquote class="kern-body case-note preserve-lines" safe>
            {i.statement}
          </blockquote>
        </div>
      ) : (
        ''
      )}
      {showStatement && i.files.length ? (
        <ul class="kern-list" aria-label={t.text('cases.involvement.documents')}>
          {i.files.map(f => (
            <li>
              <a class="kern-link" href={`${base}/files/${f.id}`} safe>
                {f.filename}
              </a>{' '}
              <span class="kern-hint" safe>{`${Math.max(1, Math.round(f.sizeBytes / 1024))} KB`}</span>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {ownOffice && i.status === 'requested' ? <StatementForm {...props} involvement={i} /> : ''}
      {request && i.status === 'requested' ? (
        <form method="post" action={`${base}/withdraw`} class="inline-form">
          <CsrfField ctx={ctx} />
          <button type="submit" class="kern-btn kern-btn--tertiary">
            <span class="kern-label">
              {t('cases.involvement.withdraw', { office: officeName(offices, i.officeId, t) })}
            </span>
          </button>
        </form>
      ) : (
        ''
      )}
    </li>
  )
}

function StatementForm(props: InvolvementsSectionProps & { involvement: Involvement }) {
  const { ctx, caseId, involvement: i, errors } = props
  const { t } = ctx
  const l = ctx.locale
  const mine = props.statementForm?.involvementId === i.id ? props.statementForm : undefined
  const saved = mine?.saved
  const fieldId = `statement-${i.id}`
  const filesId = `documents-${i.id}`
  const filesError = errors.find(e => e.fieldId === filesId)?.message
  // After a refused save the form carries the version now saved: sending it again replaces that one, knowingly.
  const version = saved?.version ?? i.version
  return (
    <form
      method="post"
      action={`/backoffice/cases/${caseId}/involvements/${i.id}/statement`}
      enctype="multipart/form-data"
      class="stack"
      novalidate
      data-live-keep={mine ? 'true' : undefined}
    >
      <CsrfField ctx={ctx} />
      <input type="hidden" name="version" value={String(version)} />
      {saved ? (
        <Alert
          kind="warning"
          title={t.text('cases.involvement.conflict.title', {
            name: saved.by ?? '–',
            at: saved.at ? formatDateTime(saved.at, l) : '–',
          })}
        >
          <p class="kern-body">{t('cases.involvement.conflict.body')}</p>
          <h4 class="kern-label" id={`saved-${i.id}`}>
            {t('cases.involvement.conflict.saved')}
          </h4>
          <blockquote class="kern-body case-note preserve-lines" aria-labelledby={`saved-${i.id}`} safe>
            {saved.text || '–'}
          </blockquote>
        </Alert>
      ) : (
        ''
      )}
      <TextArea
        id={fieldId}
        name="statement"
        rows={10}
        label={t.text(saved ? 'cases.involvement.conflict.yours' : 'cases.involvement.statementLabel')}
        hint={
          i.statementSavedAt && !saved
            ? t.text('cases.involvement.draftSaved', {
                name: i.statementSavedByName ?? '–',
                at: formatDateTime(i.statementSavedAt, l),
              })
            : t.text('cases.involvement.statementHint')
        }
        value={mine ? mine.text : i.statement}
        error={errors.find(e => e.fieldId === fieldId)?.message}
      />
      <div class={`kern-form-input${filesError ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for={filesId}>
          {t('cases.involvement.documents')}
        </label>
        <div class="kern-hint" id={`${filesId}-hint`}>
          {t(mine ? 'cases.involvement.filesAgain' : 'cases.involvement.filesHint', { max: STATEMENT_FILES_MAX })}
        </div>
        {filesError ? (
          <p class="kern-error" id={`${filesId}-error`} role="alert">
            <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
            <span class="kern-body" safe>
              {filesError}
            </span>
          </p>
        ) : (
          ''
        )}
        <input
          class="kern-form-input__input"
          type="file"
          id={filesId}
          name="documents"
          multiple
          accept="application/pdf,image/jpeg,image/png"
          aria-describedby={filesError ? `${filesId}-hint ${filesId}-error` : `${filesId}-hint`}
          aria-invalid={filesError ? 'true' : undefined}
        />
      </div>
      <div class="form-actions">
        <SubmitButton label={t.text('cases.involvement.saveDraft')} name="action" value="save" variant="secondary" />
        <SubmitButton label={t.text('cases.involvement.answer')} name="action" value="answer" />
      </div>
    </form>
  )
}

function RequestForm(props: InvolvementsSectionProps & { request: NonNullable<InvolvementsSectionProps['request']> }) {
  const { ctx, caseId, offices, request, errors } = props
  const { t } = ctx
  const form = props.involveForm ?? request.prefill
  const officeError = errors.find(e => e.fieldId === 'involveOffice')?.message
  const candidates = offices.filter(o => o.id !== request.leadOfficeId)
  const suggested = new Set(request.suggestions.map(s => s.officeId))
  return (
    <div class="stack">
      <h3 class="kern-heading-small" id="involve-title">
        {t('cases.involvement.requestTitle')}
      </h3>
      {request.suggestions.length ? (
        <div class="stack">
          <p class="kern-body">{t('cases.involvement.suggestionsIntro')}</p>
          <ul class="kern-list">
            {request.suggestions.map(s => (
              <li>
                <a
                  class="kern-link"
                  href={`/backoffice/cases/${caseId}?involve=${encodeURIComponent(s.officeId)}#involve-title`}
                  safe
                >
                  {officeName(offices, s.officeId, t)}
                </a>
                {': '}
                <span class="kern-body" safe>
                  {s.task}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        ''
      )}
      <form
        method="post"
        action={`/backoffice/cases/${caseId}/involvements`}
        class="stack"
        novalidate
        data-live-keep={props.involveForm ? 'true' : undefined}
      >
        <CsrfField ctx={ctx} />
        <div class={`kern-form-input${officeError ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="involveOffice">
            {t('cases.involvement.office')}
          </label>
          {officeError ? (
            <p class="kern-error" id="involveOffice-error" role="alert">
              <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
              <span class="kern-body" safe>
                {officeError}
              </span>
            </p>
          ) : (
            ''
          )}
          <div class="kern-form-input__select-wrapper">
            <select
              class="kern-form-input__select"
              id="involveOffice"
              name="officeId"
              aria-describedby={officeError ? 'involveOffice-error' : undefined}
              aria-invalid={officeError ? 'true' : undefined}
            >
              <option value="">{t('cases.involvement.chooseOffice')}</option>
              {request.suggestions.length ? (
                <optgroup label={t.text('cases.involvement.suggested')}>
                  {candidates
                    .filter(o => suggested.has(o.id))
                    .map(o => (
                      <option value={o.id} selected={o.id === form?.officeId} safe>
                        {o.name[t.locale]}
                      </option>
                    ))}
                </optgroup>
              ) : (
                ''
              )}
              <optgroup label={t.text('cases.involvement.allOffices')}>
                {candidates
                  .filter(o => !suggested.has(o.id))
                  .map(o => (
                    <option value={o.id} selected={o.id === form?.officeId} safe>
                      {o.name[t.locale]}
                    </option>
                  ))}
              </optgroup>
            </select>
          </div>
        </div>
        <TextArea
          id="involveTask"
          name="task"
          label={t.text('cases.involvement.task')}
          hint={t.text('cases.involvement.taskHint')}
          value={form?.task}
          error={errors.find(e => e.fieldId === 'involveTask')?.message}
          rows={4}
        />
        <TextInput
          id="involveDueOn"
          name="dueOn"
          type="date"
          label={t.text('cases.involvement.dueOn')}
          hint={t.text('cases.involvement.dueOnHint')}
          value={form?.dueOn ?? request.defaultDueOn}
          error={errors.find(e => e.fieldId === 'involveDueOn')?.message}
        />
        <SubmitButton label={t.text('cases.involvement.request')} variant="secondary" />
      </form>
    </div>
  )
}

export function InvolvementStatusBadge({ status, t }: { status: Involvement['status']; t: Translate }) {
  const kind = status === 'answered' ? 'success' : status === 'withdrawn' ? 'warning' : 'info'
  return <span class={`kern-badge kern-badge--${kind}`}>{t(`cases.involvement.status.${status}`)}</span>
}

/** "Beteiligungen": statements asked of the person's offices; updates itself while open. */
export function InvolvementsListPage({ ctx, entries }: { ctx: PageContext; entries: InvolvementListEntry[] }) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('cases.involvements.title')} area="backoffice">
      <LiveRoot t={t} src="/backoffice/involvements/live" page="/backoffice/involvements">
        <h1 class="kern-heading-large">{t('cases.involvements.title')}</h1>
        <p class="kern-body">{t('cases.involvements.intro')}</p>
        <LiveStatus />
        <div data-live-region="involvement-list">
          {entries.length === 0 ? (
            <p class="kern-body">{t('cases.involvements.empty')}</p>
          ) : (
            <div class="kern-table-responsive">
              <table class="kern-table">
                <caption class="kern-sr-only">{t('cases.involvements.title')}</caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th class="kern-table__header" scope="col">
                      {t('cases.inbox.col.reference')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('cases.inbox.col.service')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('cases.involvements.col.leadOffice')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('cases.involvement.task')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('cases.involvement.dueOn')}
                    </th>
                    <th class="kern-table__header" scope="col">
                      {t('cases.inbox.col.status')}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {entries.map(e => (
                    <tr class="kern-table__row" data-involvement={e.id}>
                      <td class="kern-table__cell">
                        <a class="kern-link" href={`/backoffice/cases/${e.caseId}#involvement-${e.id}`} safe>
                          {e.reference}
                        </a>
                      </td>
                      <td class="kern-table__cell" safe>
                        {e.serviceTitle}
                      </td>
                      <td class="kern-table__cell">
                        <span safe>{e.leadOffice}</span>
                        {entries.some(other => other.office !== e.office) ? (
                          <>
                            {' '}
                            <span class="kern-hint" safe>{`→ ${e.office}`}</span>
                          </>
                        ) : (
                          ''
                        )}
                      </td>
                      <td class="kern-table__cell">
                        <span class="preserve-lines" safe>
                          {e.task}
                        </span>
                      </td>
                      <td class="kern-table__cell">
                        <span safe>{formatDate(e.dueOn, l)}</span>
                        {e.isOverdue ? (
                          <>
                            {' '}
                            <span class="kern-badge kern-badge--danger">{t('cases.involvement.overdue')}</span>
                          </>
                        ) : (
                          ''
                        )}
                      </td>
                      <td class="kern-table__cell">
                        <InvolvementStatusBadge status={e.status} t={t} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </LiveRoot>
      <script src="/assets/case-live.js" defer></script>
    </Layout>
  )
}
