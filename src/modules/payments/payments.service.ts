import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { PaymentStatus } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { NotificationMismatch, NotificationRefused, PaymentNotFound } from './payments.errors.js'
import {
  findPayment, insertPayment, insertPaymentEvent, linkDraftPaymentsToCase, listPaymentsOfDraft, lockPaymentOfProvider,
  setPaymentStatus, setProviderPayment, type PaymentRow,
} from './payments.queries.js'
import type { NotificationHeaders, PaymentProvider, VerifiedNotification } from './providers/provider.js'

/**
 * Where a reported state may take a payment. Paid is never undone by a late or forged "failed":
 * only a refund leaves it. A failure or cancellation may still turn into paid, because money that
 * did arrive must be booked.
 */
export function nextPaymentStatus(current: PaymentStatus, reported: VerifiedNotification['status']): PaymentStatus {
  if (current === 'paid' || current === 'refunded') return current
  if (reported === 'paid') return 'paid'
  if (current === 'failed' || current === 'cancelled') return current
  if (reported === 'pending') return current === 'open' ? 'pending' : current
  return reported
}

/** Readable for the payer and the treasury: BH-2026-7K3M9Q2X4P. */
function newPaymentReference(now = new Date()): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
  const bytes = crypto.randomBytes(10)
  return `BH-${now.getUTCFullYear()}-${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`
}

export interface DraftPaymentRequest {
  draftId: string; serviceId: string; officeId: string; accountId: string | null; staffId: string | null
  amountCents: number; description: string; provider: string
}

export type DraftPaymentStep =
  | { kind: 'paid'; payment: PaymentRow }
  | { kind: 'redirect'; url: string }
  /** Another request is starting this payment right now, or the provider is still deciding. */
  | { kind: 'wait' }
  | { kind: 'start'; paymentId: string }

/**
 * Decides, in the caller's transaction (which holds the draft's lock), what submitting a draft that
 * must be paid first means now: it is paid; an open payment of the same amount is reused; or a new one is made.
 */
export async function prepareDraftPayment(trx: Trx, request: DraftPaymentRequest): Promise<DraftPaymentStep> {
  const payments = await listPaymentsOfDraft(trx, request.draftId)
  const paid = payments.find((p) => p.status === 'paid')
  if (paid) return { kind: 'paid', payment: paid }
  const latest = payments[0]
  if (latest && (latest.status === 'open' || latest.status === 'pending') && latest.amountCents === request.amountCents) {
    if (latest.status === 'open' && latest.redirectUrl) return { kind: 'redirect', url: latest.redirectUrl }
    return { kind: 'wait' }
  }
  // The answers changed the fee: the open payment of the old amount is given up.
  if (latest?.status === 'open') await setPaymentStatus(trx, latest.id, 'cancelled')
  const paymentId = crypto.randomUUID()
  await insertPayment(trx, {
    id: paymentId, reference: newPaymentReference(), serviceId: request.serviceId, officeId: request.officeId,
    draftId: request.draftId, accountId: request.accountId, amountCents: request.amountCents,
    description: request.description, provider: request.provider,
  })
  await audit(trx, {
    actor: { accountId: request.accountId, staffId: request.staffId }, action: 'payment.start', subjectType: 'payment',
    subjectId: paymentId, officeId: request.officeId, details: { draftId: request.draftId, amountCents: request.amountCents },
  })
  return { kind: 'start', paymentId }
}

/** Asks the provider to take a payment prepared above; returns where to send the payer. */
export async function startProviderPayment(db: Db, provider: PaymentProvider, paymentId: string, urls: { returnUrl: string; notifyUrl: string }): Promise<string> {
  const payment = await findPayment(db, paymentId)
  if (!payment) throw new PaymentNotFound()
  try {
    const started = await provider.startPayment({
      reference: payment.reference, amountCents: payment.amountCents, currency: 'EUR',
      description: payment.description, returnUrl: urls.returnUrl, notifyUrl: urls.notifyUrl,
    })
    await setProviderPayment(db, paymentId, started.providerPaymentId, started.redirectUrl)
    return started.redirectUrl
  } catch (error) {
    // The payer can try again; this attempt must not stay "open" forever.
    await setPaymentStatus(db, paymentId, 'failed')
    throw error
  }
}

export interface NotificationResult { paymentId: string; status: PaymentStatus; outcome: 'applied' | 'ignored' | 'duplicate' }

/** What is kept of a body that was refused: enough to investigate, not enough to fill the disk. */
const clip = (raw: string) => raw.slice(0, 4000)

/**
 * A provider's server-to-server notification: verified (signature, then reference, amount, currency
 * against our row), recorded once per event id, and applied to the payment at most once.
 */
export async function processNotification(db: Db, provider: PaymentProvider, headers: NotificationHeaders, rawBody: string): Promise<NotificationResult> {
  let notification: VerifiedNotification
  try {
    notification = provider.verifyNotification(headers, rawBody)
  } catch (error) {
    if (error instanceof NotificationRefused) {
      await insertPaymentEvent(db, { paymentId: null, provider: provider.id, providerEventId: null, verified: false, outcome: `refused:${String(error.params.reason)}`, reportedStatus: null, raw: clip(rawBody) })
    }
    throw error
  }
  const result = await db.transaction().execute(async (trx) => {
    const payment = await lockPaymentOfProvider(trx, provider.id, notification.providerPaymentId)
    const refuse = async (outcome: string) => {
      await insertPaymentEvent(trx, { paymentId: payment?.id ?? null, provider: provider.id, providerEventId: null, verified: true, outcome, reportedStatus: notification.status, raw: clip(rawBody) })
      return { refused: outcome } as const
    }
    if (!payment) return refuse('unknown_payment')
    if (payment.reference !== notification.reference) return refuse('mismatch:reference')
    if (payment.amountCents !== notification.amountCents) return refuse('mismatch:amount')
    if (payment.currency !== notification.currency) return refuse('mismatch:currency')
    const next = nextPaymentStatus(payment.status, notification.status)
    const outcome = next === payment.status ? 'ignored' : 'applied'
    const recorded = await insertPaymentEvent(trx, { paymentId: payment.id, provider: provider.id, providerEventId: notification.eventId, verified: true, outcome, reportedStatus: notification.status, raw: rawBody })
    if (!recorded) return { paymentId: payment.id, status: payment.status, outcome: 'duplicate' } as const
    if (outcome === 'applied') {
      await setPaymentStatus(trx, payment.id, next)
      await audit(trx, {
        actor: {}, action: 'payment.status', subjectType: 'payment', subjectId: payment.id, officeId: payment.officeId,
        details: { from: payment.status, to: next, reference: payment.reference, amountCents: payment.amountCents, eventId: notification.eventId },
      })
    }
    return { paymentId: payment.id, status: next, outcome } as const
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
  return payments.find((p) => p.status === 'paid') ?? payments[0] ?? null
}

/** In the submission's transaction: the case takes over the draft's payments; returns the paid ones for its timeline. */
export async function attachDraftPaymentsToCase(trx: Trx, draftId: string, caseId: string) {
  const linked = await linkDraftPaymentsToCase(trx, draftId, caseId)
  return linked.filter((p) => p.status === 'paid').map((p) => ({ paymentId: p.id, reference: p.reference, amountCents: p.amountCents }))
}
