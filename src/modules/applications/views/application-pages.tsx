import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  ErrorSummary,
  ProofOfWorkField,
  SubmitButton,
  type FieldError,
} from '../../../platform/views/components.js'
import type { Condition, Field, Page, ServiceDefinition } from '../../catalogue/index.js'
import {
  FormField,
  formatAnswer,
  prefilledFieldIds,
  visibleFields,
  visiblePages,
  type Answers,
} from '../../forms/index.js'
import type { Draft } from '../applications.drafts.js'
import { FeeSummary, type FeeCalculation } from '../../payments/index.js'
import { formatMoney } from '../../../platform/i18n/i18n.js'
import type { PaymentStatus } from '../../../platform/db/schema.js'
import type { PrefillState } from '../applications.prefill.js'
import { PrefillSection } from './prefill-section.js'

const areaOf = (draft: Draft) => (draft.filedByStaffId ? 'backoffice' : 'portal')

export function FormPageView({
  ctx,
  definition,
  draft,
  page,
  pageNumber,
  pageCount,
  answers,
  errors,
  backHref,
  returnTo,
  revealed,
  prefill,
}: {
  ctx: PageContext
  definition: ServiceDefinition
  draft: Draft
  page: Page
  pageNumber: number
  pageCount: number
  answers: Answers
  errors: FieldError[]
  backHref: string
  returnTo?: string
  /** Follow-up questions appeared because of the answers just sent. */
  revealed?: boolean
  /** "Take details from a text": the text, the proposals found or the number applied. */
  prefill?: PrefillState
}) {
  const { t } = ctx
  const l = ctx.locale
  const prefilled = new Set(prefilledFieldIds(answers))
  // Every field is in the page; the server decides what is shown from all answers so far. Those whose condition
  // is not met yet wait hidden for the script (or for "Continue").
  const visible = new Set(visibleFields(page, answers).map(f => f.id))
  // The script can only follow answers given on this page: a condition on an earlier page (or on a field taken from
  // the account) stays as the server evaluated it.
  const answerableHere = new Set(page.fields.filter(f => !prefilled.has(f.id)).map(f => f.id))
  const reactsHere = (field: Field) =>
    field.showIf && answerableHere.has(field.showIf.field) ? field.showIf : undefined
  const action = `/applications/${draft.id}/pages/${page.id}${returnTo === 'check' ? '?return=check' : ''}`
  const title = `${errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${page.title[l]} – ${definition.title[l]}`
  return (
    <Layout ctx={ctx} title={title} area={areaOf(draft)}>
      <BackLink href={backHref} label={t.text('forms.back')} />
      <ErrorSummary ctx={ctx} errors={errors} />
      {revealed && errors.length === 0 ? <Alert kind="info" title={t.text('forms.moreQuestions')} /> : ''}
      {prefill?.applied !== undefined && !prefill.error ? (
        <Alert
          kind={prefill.applied ? 'success' : 'info'}
          title={
            prefill.applied
              ? t.text('applications.prefill.applied', { count: prefill.applied })
              : t.text('applications.prefill.noneTicked')
          }
        />
      ) : (
        ''
      )}
      {/* Always multipart: the section below takes a document on every page. */}
      <form method="post" action={action} enctype="multipart/form-data" novalidate class="stack" data-conditional-form>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="_shown" value={[...visible].join(',')} />
        <hgroup class="kern-hgroup">
          <p
            class="kern-preline"
            safe
          >{`${definition.title[l]} · ${t.text('forms.pageOf', { page: pageNumber, count: pageCount })}`}</p>
          <h1 class="kern-heading-large" safe>
            {page.title[l]}
          </h1>
        </hgroup>
        {page.intro ? (
          <p class="kern-body" safe>
            {page.intro[l]}
          </p>
        ) : (
          ''
        )}
        {page.fields.map(field => {
          const condition = reactsHere(field)
          return (
            <div
              data-field-id={field.id}
              hidden={!visible.has(field.id)}
              data-show-if-field={condition?.field}
              data-show-if-values={condition ? conditionValues(condition) : undefined}
            >
              <FormField
                field={field}
                value={answers[field.id]}
                t={t}
                prefilled={prefilled.has(field.id)}
                error={errors.find(e => e.fieldId === field.id)?.message}
              />
            </div>
          )
        })}
        {page.fields.some(reactsHere) ? <p class="kern-hint">{t('forms.conditionalHint')}</p> : ''}
        <div class="form-actions">
          <SubmitButton label={t.text('forms.continue')} name="action" value="continue" />
          <SubmitButton label={t.text('forms.saveForLater')} name="action" value="save" variant="secondary" />
        </div>
        <PrefillSection ctx={ctx} state={prefill} answers={answers} />
      </form>
      <script src="/assets/conditional-fields.js" defer></script>
    </Layout>
  )
}

/** The answers that show a field, as the script compares them: a ticked single checkbox sends "yes". */
function conditionValues(cond: Condition): string {
  if (cond.equals !== undefined) return cond.equals === true ? 'yes' : cond.equals === false ? '' : String(cond.equals)
  return (cond.in ?? []).join(',')
}

export function CheckAnswersPage({
  ctx,
  definition,
  draft,
  fees,
  paymentStatus,
}: {
  ctx: PageContext
  definition: ServiceDefinition
  draft: Draft
  fees: FeeCalculation
  /** The latest payment attempt of this draft, if any. */
  paymentStatus: PaymentStatus | null
}) {
  const { t } = ctx
  const l = ctx.locale
  const prefilled = new Set(prefilledFieldIds(draft.answers))
  const pages = visiblePages(definition, draft.answers)
  return (
    <Layout ctx={ctx} title={`${t.text('applications.check.title')} – ${definition.title[l]}`} area={areaOf(draft)}>
      <BackLink href={`/applications/${draft.id}/pages/${pages[pages.length - 1]!.id}`} label={t.text('forms.back')} />
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>
            {definition.title[l]}
          </p>
          <h1 class="kern-heading-large">{t('applications.check.title')}</h1>
        </hgroup>
        {pages.map(page => (
          <section class="kern-summary" aria-labelledby={`summary-${page.id}`}>
            <div class="kern-summary__header">
              <h2 class="kern-title" id={`summary-${page.id}`} safe>
                {page.title[l]}
              </h2>
            </div>
            <div class="kern-summary__body">
              <dl class="kern-description-list">
                {visibleFields(page, draft.answers).map(field => (
                  <div class="kern-description-list-item">
                    <dt class="kern-description-list-item__key" safe>
                      {field.label[l]}
                    </dt>
                    <dd class="kern-description-list-item__value">
                      <span class="preserve-lines" safe>
                        {formatAnswer(field, draft.answers[field.id], l)}
                      </span>{' '}
                      {prefilled.has(field.id) ? (
                        <span class="kern-hint">{t('forms.prefilledFromAccount')}</span>
                      ) : (
                        <a
                          class="kern-link"
                          href={`/applications/${draft.id}/pages/${page.id}?return=check#${field.type === 'address' ? `${field.id}.street` : field.id}`}
                        >
                          {t('applications.check.change')}
                          <span class="kern-sr-only" safe>{`: ${field.label[l]}`}</span>
                        </a>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          </section>
        ))}
        <FeeSummary fees={fees} t={t} />
        {paymentStatus === 'failed' || paymentStatus === 'cancelled' ? (
          <Alert kind="danger" title={t.text(`payments.check.${paymentStatus}`)}>
            <p class="kern-body">{t('payments.check.tryAgain')}</p>
          </Alert>
        ) : (
          ''
        )}
        {paymentStatus === 'paid' ? <Alert kind="success" title={t.text('payments.check.paid')} /> : ''}
        <h2 class="kern-heading-medium">{t('applications.check.declarationTitle')}</h2>
        <p class="kern-body">{t('applications.check.declaration')}</p>
        <form method="post" action={`/applications/${draft.id}/submit`}>
          <CsrfField ctx={ctx} />
          {draft.accountId || draft.filedByStaffId ? '' : <ProofOfWorkField />}
          <div class="form-actions">
            <SubmitButton
              label={
                fees.due === 'onSubmission' && fees.totalCents > 0 && paymentStatus !== 'paid'
                  ? t.text('payments.check.payAndSubmit', { amount: formatMoney(fees.totalCents, l) })
                  : t.text('applications.check.submit')
              }
            />
          </div>
        </form>
      </div>
    </Layout>
  )
}

export function ConfirmationPage({
  ctx,
  definition,
  reference,
  caseId,
  onBehalf,
  signedIn,
  receiptWithheld,
}: {
  ctx: PageContext
  definition: ServiceDefinition
  reference: string
  caseId: string
  onBehalf: boolean
  signedIn: boolean
  receiptWithheld: boolean
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('applications.confirmation.title')} area={onBehalf ? 'backoffice' : 'portal'}>
      <div class="stack">
        <Alert kind="success" pageHeading title={t.text('applications.confirmation.title')}>
          <p class="kern-body kern-body--large">
            {t('applications.confirmation.reference')}{' '}
            <strong class="case-reference" safe>
              {reference}
            </strong>
          </p>
        </Alert>
        <p class="kern-body" safe>
          {t.text('applications.confirmation.received', { service: definition.title[ctx.locale] })}
        </p>
        {definition.appointment && signedIn && !onBehalf ? (
          <Alert kind="warning" title={t.text('appointments.application.needed')}>
            <p class="kern-body">{t('appointments.application.neededText')}</p>
            <p class="kern-body">
              <a class="kern-btn kern-btn--primary" href={`/termine?fall=${caseId}`}>
                <span class="kern-label">{t('appointments.application.book')}</span>
              </a>
            </p>
          </Alert>
        ) : (
          ''
        )}
        {receiptWithheld ? (
          <Alert kind="warning" title={t.text('applications.confirmation.receiptWithheld.title')}>
            <p class="kern-body">
              {t(
                signedIn
                  ? 'applications.confirmation.receiptWithheld.inAccount'
                  : 'applications.confirmation.receiptWithheld.noteReference',
              )}
            </p>
          </Alert>
        ) : (
          ''
        )}
        <h2 class="kern-heading-medium">{t('applications.confirmation.nextTitle')}</h2>
        <p class="kern-body">{t('applications.confirmation.next')}</p>
        {onBehalf ? (
          <p class="kern-body">
            <a class="kern-link" href={`/backoffice/cases/${caseId}`}>
              {t('applications.confirmation.openCase')}
            </a>
          </p>
        ) : signedIn ? (
          <p class="kern-body">
            <a class="kern-link" href="/account/applications">
              {t('applications.confirmation.myApplications')}
            </a>
          </p>
        ) : (
          <p class="kern-body">{t('applications.confirmation.anonymous')}</p>
        )}
      </div>
    </Layout>
  )
}

export function SavedPage({
  ctx,
  definition,
  draft,
  resumeHref,
}: {
  ctx: PageContext
  definition: ServiceDefinition
  draft: Draft
  resumeHref: string
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('applications.saved.title')} area={areaOf(draft)}>
      <div class="stack">
        <Alert kind="success" pageHeading title={t.text('applications.saved.title')} />
        <p class="kern-body" safe>
          {t.text('applications.saved.body', { service: definition.title[ctx.locale] })}
        </p>
        <p class="kern-body">
          {draft.accountId ? t('applications.saved.inAccount') : t('applications.saved.inSession')}
        </p>
        <p class="kern-body">
          <a class="kern-link" href={resumeHref}>
            {t('applications.saved.resume')}
          </a>
        </p>
      </div>
    </Layout>
  )
}
