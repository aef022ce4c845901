import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { PaymentStatus } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { NotificationMismatch, NotificationRefused, PaymentNotFound } from './payments.errors.js'
import {
  findPayment,
  insertPayment,
  insertPaymentEvent,
  linkDraftPaymentsToCase,
  listPaymentsOfDraft,
  lockPaymentOfProvider,
  setPaymentStatus,
  setProviderPayment,
  type PaymentRow,
} from './payments.queries.js'
import { applyReportedStatus, clipRaw, RECEIPT_JOB } from './payments.booking.js'
import type { Config } from '../../platform/config.js'
import { enqueueJob } from '../../platform/jobs/index.js'
import type { NotificationHeaders, PaymentProvider, VerifiedNotification } from './providers/provider.js'

/** Readable for the payer and the treasury: BH-2026-7K3M9Q2X4P (a payment), GB-2026-… (a fee notice's cash reference). */
export function newPaymentReference(now = new Date(), prefix: 'BH' | 'GB' = 'BH'): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
  const bytes = crypto.randomBytes(10)
  return `${prefix}-${now.getUTCFullYear()}-${[...bytes].map(b => alphabet[b % alphabet.length]).join('')}`
}

/** A payment to be taken: for a draft at submission, or for a fee notice of a case. */
export interface PaymentRequest {
  serviceId: string
  officeId: string
  accountId: string | null
  staffId: string | null
  amountCents: number
  description: string
  provider: string
  draftId?: string
  caseId?: string
  feeNoticeId?: string
}

export type PaymentStep =
  | { kind: 'paid'; payment: PaymentRow }
  | { kind: 'redirect'; url: string }
  /** Another request is starting this payment right now, or the provider is still deciding. */
  | { kind: 'wait' }
  | { kind: 'start'; paymentId: string }

/**
 * Decides, in the caller's transaction (which holds the lock of the draft or fee notice), what paying means now,
 * given the earlier attempts (newest first): it is paid; an open payment of the same amount is reused (a double
 * click finds the one the first click opened); or a new one is made.
 */
export async function preparePayment(trx: Trx, payments: PaymentRow[], request: PaymentRequest): Promise<PaymentStep> {
  const paid = payments.find(p => p.status === 'paid')
  if (paid) return { kind: 'paid', payment: paid }
  const latest = payments[0]
  if (
    latest &&
    (latest.status === 'open' || latest.status === 'pending') &&
    latest.amountCents === request.amountCents
  ) {
    if (latest.status === 'open' && latest.redirectUrl) return { kind: 'redirect', url: latest.redirectUrl }
    return { kind: 'wait' }
  }
  // The answers changed the fee: the open payment of the old amount is given up.
  if (latest?.status === 'open') await setPaymentStatus(trx, latest.id, 'cancelled')
  const paymentId = crypto.randomUUID()
  await insertPayment(trx, {
    id: paymentId,
    reference: newPaymentReference(),
    serviceId: request.serviceId,
    officeId: request.officeId,
    draftId: request.draftId,
    caseId: request.caseId,
    feeNoticeId: request.feeNoticeId,
    accountId: request.accountId,
    amountCents: request.amountCents,
    description: request.description,
    provider: request.provider,
  })
  await audit(trx, {
    actor: { accountId: request.accountId, staffId: request.staffId },
    action: 'payment.start',
    subjectType: 'payment',
    subjectId: paymentId,
    officeId: request.officeId,
    details: { draftId: request.draftId, feeNoticeId: request.feeNoticeId, amountCents: request.amountCents },
  })
  return { kind: 'start', paymentId }
}

/** Submitting a draft that must be paid first, in the caller's transaction (which holds the draft's lock). */
export async function prepareDraftPayment(
  trx: Trx,
  request: PaymentRequest & { draftId: string },
): Promise<PaymentStep> {
  return preparePayment(trx, await listPaymentsOfDraft(trx, request.draftId), request)
}

/** Where the provider posts its notifications for this city. */
export function notifyUrlOf(config: Config, provider: PaymentProvider): string {
  return `${config.baseUrl}/payments/notify/${provider.id}`
}

/** Asks the provider to take a payment prepared above; returns where to send the payer. */
export async function startProviderPayment(
  db: Db,
  provider: PaymentProvider,
  paymentId: string,
  urls: { returnUrl: string; notifyUrl: string },
): Promise<string> {
  const payment = await findPayment(db, paymentId)
  if (!payment) throw new PaymentNotFound()
  try {
    const started = await provider.startPayment({
      reference: payment.reference,
      amountCents: payment.amountCents,
      currency: 'EUR',
      description: payment.description,
      returnUrl: urls.returnUrl,
      notifyUrl: urls.notifyUrl,
    })
    await setProviderPayment(db, paymentId, started.providerPaymentId, started.redirectUrl)
    return started.redirectUrl
  } catch (error) {
    // The payer can try again; this attempt must not stay "open" forever.
    await setPaymentStatus(db, paymentId, 'failed')
    throw error
  }
}

export interface NotificationResult {
  paymentId: string | null
  status: PaymentStatus | null
  outcome: 'applied' | 'ignored' | 'duplicate'
  draftToSubmit: string | null
}

/**
 * A provider's server-to-server notification: verified (signature, then reference, amount, currency
 * against our row), recorded once per event id, and applied to the payment at most once.
 * A verified event that concerns no payment state (the provider's other event types) is recorded and ignored.
 */
export async function processNotification(
  db: Db,
  provider: PaymentProvider,
  headers: NotificationHeaders,
  rawBody: string,
): Promise<NotificationResult> {
  let notification: VerifiedNotification | null
  try {
    notification = provider.verifyNotification(headers, rawBody)
  } catch (error) {
    if (error instanceof NotificationRefused) {
      await insertPaymentEvent(db, {
        paymentId: null,
        provider: provider.id,
        providerEventId: null,
        verified: false,
        outcome: `refused:${String(error.params.reason)}`,
        reportedStatus: null,
        raw: clipRaw(rawBody),
      })
    }
    throw error
  }
  if (!notification) {
    await insertPaymentEvent(db, {
      paymentId: null,
      provider: provider.id,
      providerEventId: null,
      verified: true,
      outcome: 'ignored:event_type',
      reportedStatus: null,
      raw: clipRaw(rawBody),
    })
    return { paymentId: null, status: null, outcome: 'ignored', draftToSubmit: null }
  }
  const verified = notification
  const result = await db.transaction().execute(async trx => {
    const payment = await lockPaymentOfProvider(trx, provider.id, verified.providerPaymentId)
    if (!payment) {
      await insertPaymentEvent(trx, {
        paymentId: null,
        provider: provider.id,
        providerEventId: null,
        verified: true,
        outcome: 'unknown_payment',
        reportedStatus: verified.status,
        raw: clipRaw(rawBody),
      })
      return { refused: 'unknown_payment' } as const
    }
    return applyReportedStatus(trx, payment, verified, rawBody)
  })
  if ('refused' in result) {
    if (result.refused === 'unknown_payment') throw new PaymentNotFound()
    throw new NotificationMismatch(result.refused.split(':')[1] ?? '')
  }
  return result
}

/** The payment state of a draft for its return page: the paid one if any, else the latest attempt. */
export async function findDraftPayment(db: Db, draftId: string): Promise<PaymentRow | null> {
  const payments = await listPaymentsOfDraft(db, draftId)
  return payments.find(p => p.status === 'paid') ?? payments[0] ?? null
}

/** In the submission's transaction: the case takes over the draft's payments; returns the paid ones for its timeline. */
export async function attachDraftPaymentsToCase(trx: Trx, draftId: string, caseId: string) {
  const linked = await linkDraftPaymentsToCase(trx, draftId, caseId)
  const paid = linked.filter(p => p.status === 'paid')
  for (const p of paid)
    await enqueueJob(trx, { name: RECEIPT_JOB, payload: { paymentId: p.id }, key: `receipt:${p.id}` })
  return paid.map(p => ({ paymentId: p.id, reference: p.reference, amountCents: p.amountCents }))
}
