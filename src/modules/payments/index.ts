import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import type { PaymentProvider } from './providers/provider.js'
import { sandboxProvider } from './providers/sandbox.js'
import { stripeProvider } from './providers/stripe.js'

export { paymentRoutes, paymentNotifyRoutes } from './payments.routes.js'
export { paymentCaseworkRoutes } from './payments.casework.routes.js'
export { paymentAccountRoutes } from './payments.account.routes.js'
export { refundDecisionRoutes } from './payments.refund-requests.routes.js'
export { FeeNoticeList } from './views/fee-notice-pages.js'
export { calculateFees, isPaymentDueOnSubmission, type FeeCalculation } from './payments.fees.js'
export {
  prepareDraftPayment,
  notifyUrlOf,
  startProviderPayment,
  findDraftPayment,
  attachDraftPaymentsToCase,
} from './payments.service.js'
export { RECEIPT_JOB } from './payments.booking.js'
export { reconcilePayments } from './payments.reconcile.js'
export { sendReceipt } from './payments.receipts.js'
export {
  issueFeeNotice,
  cancelFeeNotice,
  issueRecurringFeeNotices,
  periodContaining,
} from './payments.notices.js'
export {
  EXPORT_BATCH_SIZE,
  TREASURY_PAGE_SIZE,
  DISCREPANCY_LIMIT,
  listLedgerPage,
  listOpenNoticesPaidOnline,
  listPaidAtProviderOnly,
  listPaidInOurBookOnly,
  listPaidNoticesWithoutPayment,
  listPaidWithoutCase,
  listPaymentProviders,
  listReceipts,
  listRefundBookings,
  sumBookings,
  sumLedgerByStatus,
  type BookingCursor,
  type BookingRow,
  type BookingWindow,
  type DiscrepantFeeNotice,
  type DiscrepantPayment,
  type LedgerRow,
  type PaymentCursor,
  type PaymentFilter,
} from './payments.ledger.js'
export {
  listFeeNoticesOfCase,
  listPaymentsOfCase,
  type FeeNoticeRow,
} from './payments.queries.js'
export { feeSection, feeNoticeAction, feesSettled } from './payments.case.js'

/** Asks the provider about payments whose notification never came. */
export const RECONCILE_JOB = 'payments.reconcile'
/** Issues the fee notices of recurring fees (market stalls) for the current period. */
export const RECURRING_FEES_JOB = 'payments.recurringFees'
export { PaymentAmountChanged, PaymentRequired } from './payments.errors.js'
export type { PaymentProvider } from './providers/provider.js'
export { serviceFeesPart, feeNoticeMessagePart } from './payments.parts.js'
export { FeeSummary, PaymentList, PaymentStatusTag, type PaymentSummary } from './views/payment-parts.js'
export { PaymentWaitingPage } from './views/payment-pages.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The configured online payment provider. */
    paymentProvider: PaymentProvider
  }
}

/** The provider this city configured (PAYMENT_PROVIDER). */
export function createPaymentProvider(config: Config, db: Db): PaymentProvider {
  switch (config.paymentProvider) {
    case 'sandbox':
      return sandboxProvider(db, config.paymentSandboxSecret)
    case 'stripe':
      return stripeProvider({
        apiBase: config.stripeApiBase,
        secretKey: config.stripeSecretKey,
        webhookSecret: config.stripeWebhookSecret,
      })
  }
}
export { paymentsHolder } from './payments.personal-data.js'
export { casePayments, draftsAwaitingSubmission } from './payments.retention.js'
