import { addDays } from '../../../platform/calendar/index.js'
import { todayInGermany, type Translate } from '../../../platform/i18n/i18n.js'
import { CsrfField, SubmitButton, TextInput } from '../../../platform/views/components.js'
import type { FeeStanding } from '../../payments/index.js'
import { DOCUMENTS_DUE_DAYS } from '../cases.messages.js'
import type { CasePageProps } from './case.js'
import { TextArea } from './text-area.js'

type ActionProps = CasePageProps & { base: string; canAct: boolean }

/** What comes before a step that waits for payment: issuing the fee notice, or its payment. */
export function FeeNextStep({
  t,
  base,
  standing,
  transition,
}: {
  t: Translate
  base: string
  standing: FeeStanding
  transition: string
}) {
  return standing === 'noticeOpen' ? (
    <p class="kern-body">
      {t('cases.fees.waitForPayment', { transition })}{' '}
      <a class="kern-link" href={`${base}#payments`}>
        {t('cases.fees.showFees')}
      </a>
    </p>
  ) : (
    <p class="kern-body">
      {t('cases.fees.issueFirst', { transition })}{' '}
      <a class="kern-link" href={`${base}/fee-notice`}>
        {t('cases.fees.issueLink')}
      </a>
    </p>
  )
}

/** Status steps, claiming and assigning: the decisions on the case, first in the action column. */
export function CaseActions({
  ctx,
  dossier,
  transitions,
  caseworkers,
  canClaim,
  definition,
  feeStanding,
  base,
  canAct,
}: ActionProps) {
  const { t } = ctx
  const l = ctx.locale
  const c = dossier.record
  const version = <input type="hidden" name="version" value={String(c.version)} />
  // A step that waits for payment is shown, not offered: disabled, with the way forward beside it.
  const blocked = transitions.filter(tr => tr.requiresPayment && feeStanding !== 'settled')
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
              {transitions.map(tr =>
                blocked.includes(tr) ? (
                  <button
                    type="submit"
                    class="kern-btn kern-btn--secondary"
                    name="transitionId"
                    value={tr.id}
                    disabled
                    aria-describedby={`fee-blocked-${tr.id}`}
                  >
                    <span class="kern-label" safe>
                      {tr.label[l]}
                    </span>
                  </button>
                ) : (
                  <SubmitButton label={tr.label[l]} name="transitionId" value={tr.id} variant="secondary" />
                ),
              )}
            </div>
          </form>
        ) : canAct ? (
          <p class="kern-body">{t('cases.case.noTransitions')}</p>
        ) : (
          ''
        )}
        {blocked.map(tr => (
          <div class="kern-alert kern-alert--warning" id={`fee-blocked-${tr.id}`}>
            <div class="kern-alert__header">
              <span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
              <span class="kern-title">
                {t(feeStanding === 'noticeOpen' ? 'cases.fees.openNotice' : 'cases.fees.open')}
              </span>
            </div>
            <div class="kern-alert__body">
              <FeeNextStep t={t} base={base} standing={feeStanding} transition={tr.label[l]} />
            </div>
          </div>
        ))}
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
        {definition.fees && canAct ? (
          <p class="kern-body" id="fee-notice-action">
            <a class="kern-link" href={`${base}/fee-notice`}>
              {t('payments.noticeForm.open')}
            </a>
          </p>
        ) : (
          ''
        )}
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
