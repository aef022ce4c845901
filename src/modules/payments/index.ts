import type { Config } from '../../platform/config.js'
import type { Db } from '../../platform/db/database.js'
import type { PaymentProvider } from './providers/provider.js'
import { sandboxProvider } from './providers/sandbox.js'
import { listPaymentsOfCaseRows } from './payments.queries.js'

export { paymentRoutes } from './payments.routes.js'
export { calculateFees, isPaymentDueOnSubmission, type FeeCalculation, type FeeLine } from './payments.fees.js'
export { prepareDraftPayment, startProviderPayment, findDraftPayment, attachDraftPaymentsToCase, processNotification, nextPaymentStatus, type DraftPaymentStep } from './payments.service.js'
export { PaymentAmountChanged, PaymentRequired } from './payments.errors.js'
export type { PaymentProvider } from './providers/provider.js'
export { FeeSummary, ServiceFees, PaymentList, PaymentStatusTag, type PaymentSummary } from './views/payment-parts.js'
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
    case 'sandbox': return sandboxProvider(db, config.paymentSandboxSecret)
  }
}

/** Where the provider posts its notifications for this city. */
export function notifyUrlOf(config: Config, provider: PaymentProvider): string {
  return `${config.baseUrl}/payments/notify/${provider.id}`
}

/** The payments of a case, for the case view and the applicant's application page. */
export async function listPaymentsOfCase(db: Db, caseId: string) {
  const rows = await listPaymentsOfCaseRows(db, caseId)
  return rows.map((r) => ({ reference: r.reference, amountCents: r.amountCents, status: r.status, createdAt: r.createdAt, paidAt: r.paidAt }))
}
