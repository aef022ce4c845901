import type { Translate } from '../../platform/i18n/i18n.js'
import type { CaseSection, TransitionGuard } from '../cases/index.js'
import { feeStandingOf, type FeeStanding } from './payments.notices.js'
import { listFeeNoticesOfCase, listPaymentsOfCase, type FeeNoticeRow } from './payments.queries.js'
import { FeeNoticeList } from './views/fee-notice-pages.js'
import { PaymentList, type PaymentSummary } from './views/payment-parts.js'

// What payments add to a case in the back office: the fees section, the fee notice action, and the guard that
// keeps a step requiring payment closed until the fees are settled.

interface FeeSectionData {
  payments: PaymentSummary[]
  feeNotices: FeeNoticeRow[]
  /** The service charges fees; without fees or payments, the section's live region stays empty. */
  hasFees: boolean
}

/** Payments and fee notices of the case, in the reading column after the files. */
export const feeSection: CaseSection<FeeSectionData> = {
  id: 'fees',
  place: 'main',
  // After the files (KERNEL_ORDER.main.files); a number, as the kernel may still be loading when this is.
  order: 40,
  load: async ({ db, record, definition }) => ({
    payments: await listPaymentsOfCase(db, record.id),
    feeNotices: await listFeeNoticesOfCase(db, record.id),
    hasFees: !!definition.fees,
  }),
  View: ({ data, ctx, canAct }) => (
    <div data-live-region="payments">
      {data.payments.length || data.hasFees ? (
        <section class="stack" aria-labelledby="payments-title" id="payments">
          <h2 class="kern-heading-medium" id="payments-title">
            {ctx.t('payments.list.title')}
          </h2>
          <PaymentList payments={data.payments} t={ctx.t} canRefund={canAct} />
          <FeeNoticeList
            notices={data.feeNotices}
            t={ctx.t}
            audience="staff"
            csrfToken={canAct ? ctx.csrfToken : undefined}
          />
        </section>
      ) : (
        ''
      )}
    </div>
  ),
}

/** The way to the fee notice form, last among the case's actions, for the case's office of a service with fees. */
export const feeNoticeAction: CaseSection<true> = {
  id: 'fee-notice-action',
  place: 'actions',
  order: 10,
  load: ({ definition, canAct }) => (definition.fees && canAct ? true : undefined),
  View: ({ ctx, base }) => (
    <p class="kern-body" id="fee-notice-action">
      <a class="kern-link" href={`${base}/fee-notice`}>
        {ctx.t('payments.noticeForm.open')}
      </a>
    </p>
  ),
}

type FeesOpen = Exclude<FeeStanding, 'settled'>

/** What comes before a step that waits for payment: issuing the fee notice, or its payment. */
function FeeNextStep({
  t,
  base,
  standing,
  transition,
}: {
  t: Translate
  base: string
  standing: FeesOpen
  transition: string
}) {
  return standing === 'noticeOpen' ? (
    <p class="kern-body">
      {t('payments.caseFees.waitForPayment', { transition })}{' '}
      <a class="kern-link" href={`${base}#payments`}>
        {t('payments.caseFees.showFees')}
      </a>
    </p>
  ) : (
    <p class="kern-body">
      {t('payments.caseFees.issueFirst', { transition })}{' '}
      <a class="kern-link" href={`${base}/fee-notice`}>
        {t('payments.caseFees.issueLink')}
      </a>
    </p>
  )
}

/**
 * A step the workflow marks `requiresPayment` waits until the fees are settled. The case page shows it disabled
 * with the way forward; tried anyway (an old page), it is refused and the page says what comes first.
 */
export const feesSettled: TransitionGuard<FeesOpen> = {
  id: 'fee',
  messageKey: 'payments.errors.feesOutstanding',
  check: async (db, { transition, definition, loadCase }) => {
    if (!transition.requiresPayment) return undefined
    const standing = await feeStandingOf(db, await loadCase(), definition)
    return standing === 'settled' ? undefined : standing
  },
  Blocked: ({ ctx, base, alertId, transition, refusal }) => (
    <div class="kern-alert kern-alert--warning" id={alertId}>
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
        <span class="kern-title">
          {ctx.t(refusal === 'noticeOpen' ? 'payments.caseFees.openNotice' : 'payments.caseFees.open')}
        </span>
      </div>
      <div class="kern-alert__body">
        <FeeNextStep t={ctx.t} base={base} standing={refusal} transition={transition} />
      </div>
    </div>
  ),
  Refused: ({ ctx, base, transition, refusal }) => (
    <div class="kern-alert kern-alert--danger" role="alert" id="fees-outstanding">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
        <h2 class="kern-title">{ctx.t('payments.caseFees.refused', { transition })}</h2>
      </div>
      <div class="kern-alert__body">
        <FeeNextStep t={ctx.t} base={base} standing={refusal} transition={transition} />
      </div>
    </div>
  ),
}
