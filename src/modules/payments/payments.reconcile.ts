import type { Db } from '../../platform/db/database.js'
import { applyReportedStatus } from './payments.booking.js'
import {
  listStalePendingRefunds,
  listUncheckedPaidPayments,
  listUnsettledPayments,
  lockPayment,
  recordProviderStatus,
} from './payments.queries.js'
import { askProviderToRefund } from './payments.refunds.js'
import type { PaymentProvider } from './providers/provider.js'

export interface ReconcileOptions {
  /** Payments younger than this are left to their notification, which usually arrives within seconds. */
  graceMs?: number
  batchSize?: number
  now?: Date
  /** A paid draft becomes a case (submitPaidDraft); called after the booking committed. */
  onDraftPaid: (draftId: string) => Promise<unknown>
  /** Where links in the payer's mail about a retried refund point. */
  baseUrl: string
}

export interface ReconcileReport {
  checked: number
  booked: number
  refundsRetried: number
  disagreements: number
}

/**
 * Asks the provider about every payment still open or pending after the grace period, and books what it says
 * through the same checks as a notification: a payment confirmed while our server was down is found here.
 * What the provider said is kept on the payment, so the treasury sees any disagreement.
 */
export async function reconcilePayments(
  db: Db,
  provider: PaymentProvider,
  opts: ReconcileOptions,
): Promise<ReconcileReport> {
  const now = opts.now ?? new Date()
  const olderThan = new Date(now.getTime() - (opts.graceMs ?? 5 * 60_000))
  const report: ReconcileReport = { checked: 0, booked: 0, refundsRetried: 0, disagreements: 0 }
  // Only the configured provider is asked: payments taken by a provider the city used before stay as they are.
  for (const candidate of await listUnsettledPayments(db, provider.id, olderThan, opts.batchSize ?? 100)) {
    if (!candidate.providerPaymentId) continue
    const answer = await provider.fetchStatus(candidate.providerPaymentId)
    report.checked++
    await recordProviderStatus(db, candidate.id, answer?.status ?? 'unknown')
    if (!answer || answer.status === 'open' || answer.status === 'refunded') continue
    const reportedStatus = answer.status
    const result = await db.transaction().execute(async trx => {
      const payment = await lockPayment(trx, candidate.id)
      if (!payment) return null
      // One event id per payment and reported state: asking again later books nothing twice.
      return applyReportedStatus(
        trx,
        payment,
        {
          eventId: `reconcile:${payment.id}:${reportedStatus}`,
          reference: payment.reference,
          amountCents: answer.amountCents,
          currency: answer.currency,
          status: reportedStatus,
        },
        JSON.stringify({ source: 'reconciliation', ...answer }),
      )
    })
    if (result && 'outcome' in result && result.outcome === 'applied') {
      report.booked++
      if (result.draftToSubmit) await opts.onDraftPaid(result.draftToSubmit)
    }
  }
  // A payment we booked as paid is asked about once: a provider that says otherwise is a discrepancy for the
  // treasury to resolve by hand, never a reason to un-book money automatically.
  for (const paid of await listUncheckedPaidPayments(db, provider.id, olderThan, opts.batchSize ?? 100)) {
    if (!paid.providerPaymentId) continue
    const answer = await provider.fetchStatus(paid.providerPaymentId)
    report.checked++
    await recordProviderStatus(db, paid.id, answer?.status ?? 'unknown')
    if (answer?.status !== 'paid') report.disagreements++
  }
  for (const refund of await listStalePendingRefunds(db, provider.id, olderThan, opts.batchSize ?? 100)) {
    await askProviderToRefund(
      { db, provider, baseUrl: opts.baseUrl },
      { id: refund.paymentId, providerPaymentId: refund.providerPaymentId },
      refund,
      null,
    )
    report.refundsRetried++
  }
  return report
}
