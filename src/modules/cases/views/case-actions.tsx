import type { Children } from '@kitajs/html'
import { addDays } from '../../../platform/calendar/index.js'
import { todayInGermany } from '../../../platform/i18n/i18n.js'
import { CsrfField, SubmitButton, TextInput } from '../../../platform/views/components.js'
import { DOCUMENTS_DUE_DAYS } from '../cases.messages.js'
import type { CasePageProps } from './case-page-props.js'
import { TextArea } from './text-area.js'

type ActionProps = CasePageProps & { base: string; canAct: boolean; children?: Children }

/**
 * Status steps, claiming and assigning: the decisions on the case, first in the action column. A step a guard
 * would refuse is shown disabled, described by the guard's alert; features' actions (children) come last.
 */
export function CaseActions({
  ctx,
  dossier,
  transitions,
  blocked,
  caseworkers,
  canClaim,
  base,
  canAct,
  children,
}: ActionProps) {
  const { t } = ctx
  const l = ctx.locale
  const c = dossier.record
  const version = <input type="hidden" name="version" value={String(c.version)} />
  const blockOf = (tr: (typeof transitions)[number]) => blocked.find(b => b.transition === tr)
  const alertIdOf = (b: (typeof blocked)[number]) => `${b.guard.id}-blocked-${b.transition.id}`
  return (
    <section class="stack" aria-labelledby="actions-title" id="actions">
      <h2 class="kern-heading-medium" id="actions-title">
        {t('cases.case.actions')}
      </h2>
      <div class="stack" data-live-region="actions">
        {canAct ? '' : <p class="kern-body">{t('cases.involvement.readOnly')}</p>}
        {canClaim ? (
          <form method="post" action={`${base}/claim`}>
            <CsrfField ctx={ctx} />
            {version}
            <SubmitButton label={t.text('cases.case.claim')} />
          </form>
        ) : (
          ''
        )}
        {transitions.length ? (
          <form method="post" action={`${base}/transitions`}>
            <CsrfField ctx={ctx} />
            {version}
            <div class="form-actions case-steps">
              {transitions.map(tr => {
                const block = blockOf(tr)
                return block ? (
                  <button
                    type="submit"
                    class="kern-btn kern-btn--secondary"
                    name="transitionId"
                    value={tr.id}
                    disabled
                    aria-describedby={alertIdOf(block)}
                  >
                    <span class="kern-label" safe>
                      {tr.label[l]}
                    </span>
                  </button>
                ) : (
                  <SubmitButton label={tr.label[l]} name="transitionId" value={tr.id} variant="secondary" />
                )
              })}
            </div>
          </form>
        ) : canAct ? (
          <p class="kern-body">{t('cases.case.noTransitions')}</p>
        ) : (
          ''
        )}
        {blocked.map(b =>
          b.guard.Blocked({ ctx, base, alertId: alertIdOf(b), transition: b.transition.label[l], refusal: b.refusal }),
        )}
        {caseworkers ? (
          <form method="post" action={`${base}/assign`} class="stack">
            <CsrfField ctx={ctx} />
            {version}
            <div class="kern-form-input">
              <label class="kern-label" for="assigneeId">
                {t('cases.case.assignTo')}
              </label>
              <div class="kern-form-input__select-wrapper">
                <select class="kern-form-input__select" id="assigneeId" name="assigneeId">
                  <option value="">{t('cases.case.nobody')}</option>
                  {caseworkers.map(p => (
                    <option value={p.id} selected={p.id === c.assigneeId} safe>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <SubmitButton label={t.text('cases.case.assign')} variant="secondary" />
          </form>
        ) : (
          ''
        )}
        {children}
      </div>
    </section>
  )
}

/** The message to the applicant (with its document request) and the internal note. */
export function CaseWriting({ ctx, dossier, form, base }: CasePageProps & { base: string }) {
  const { t } = ctx
  const c = dossier.record
  const errors = form?.errors ?? []
  const version = <input type="hidden" name="version" value={String(c.version)} />
  return (
    <>
      <section class="stack" aria-labelledby="message-title" id="message">
        <h2 class="kern-heading-medium" id="message-title">
          {t('cases.case.messageTitle')}
        </h2>
        <div class="stack" data-live-region="message-form">
          {!c.accountId && !c.applicantEmail ? <p class="kern-body">{t('cases.case.noChannel')}</p> : ''}
          <form
            method="post"
            action={`${base}/messages`}
            class="stack"
            novalidate
            data-live-keep={form?.subject || form?.body ? 'true' : undefined}
          >
            <CsrfField ctx={ctx} />
            {version}
            <TextInput
              id="subject"
              label={t.text('cases.case.subject')}
              value={form?.subject}
              error={errors.find(e => e.fieldId === 'subject')?.message}
              required
            />
            <TextArea
              id="body"
              label={t.text('cases.case.body')}
              value={form?.body}
              error={errors.find(e => e.fieldId === 'body')?.message}
            />
            <div class="kern-form-check">
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id="requestsDocuments"
                name="requestsDocuments"
                value="yes"
                checked={!!form?.requestsDocuments}
              />
              <label class="kern-label" for="requestsDocuments">
                {t('cases.case.requestDocuments')}
              </label>
            </div>
            <TextInput
              id="documentsDueOn"
              type="date"
              label={t.text('cases.case.documentsDueOn')}
              hint={t.text('cases.case.documentsDueOnHint')}
              value={form?.documentsDueOn ?? addDays(todayInGermany(), DOCUMENTS_DUE_DAYS)}
              error={errors.find(e => e.fieldId === 'documentsDueOn')?.message}
            />
            <SubmitButton label={t.text('cases.case.send')} />
          </form>
        </div>
      </section>

      <section class="stack" aria-labelledby="note-title" id="note-section">
        <h2 class="kern-heading-medium" id="note-title">
          {t('cases.case.noteTitle')}
        </h2>
        <div data-live-region="note-form">
          <form
            method="post"
            action={`${base}/notes`}
            class="stack"
            novalidate
            data-live-keep={form?.note ? 'true' : undefined}
          >
            <CsrfField ctx={ctx} />
            {version}
            <TextArea
              id="note"
              label={t.text('cases.case.noteLabel')}
              hint={t.text('cases.case.noteHint')}
              value={form?.note}
              error={errors.find(e => e.fieldId === 'note')?.message}
            />
            <SubmitButton label={t.text('cases.case.addNote')} variant="secondary" />
          </form>
        </div>
      </section>
    </>
  )
}
