import type { PaymentStatus } from '../../../platform/db/schema.js'

export interface StartPaymentRequest {
  /** Our reference; the provider echoes it in every notification. */
  reference: string
  amountCents: number
  currency: 'EUR'
  description: string
  /** Where the provider sends the browser back to; its query is never trusted. */
  returnUrl: string
  /** Where the provider posts its signed server-to-server notification. */
  notifyUrl: string
}

export interface StartedPayment {
  redirectUrl: string
  providerPaymentId: string
}

/** A notification whose signature was checked: what the provider says happened to one payment. */
export interface VerifiedNotification {
  /** Unique per provider: the same event delivered twice has the same id. */
  eventId: string
  providerPaymentId: string
  reference: string
  amountCents: number
  currency: string
  status: Extract<PaymentStatus, 'pending' | 'paid' | 'failed' | 'cancelled'>
}

export interface ProviderPaymentStatus {
  status: PaymentStatus
  amountCents: number
  currency: string
}

export interface RefundRequest {
  providerPaymentId: string
  amountCents: number
  currency: 'EUR'
  /** Ours, unique per refund: a retried call must not pay back twice. */
  idempotencyKey: string
  reason: string
}

/** What the provider says of a refund it was asked for. */
export interface ProviderRefund {
  providerRefundId: string
  status: 'succeeded' | 'pending' | 'failed'
}

export type NotificationHeaders = Record<string, string | string[] | undefined>

/** One online payment provider (sandbox, later pmPayment/ePayBL or Stripe) behind the same three calls. */
export interface PaymentProvider {
  readonly id: string
  startPayment(request: StartPaymentRequest): Promise<StartedPayment>
  /**
   * Checks the signature over the raw body; throws NotificationRefused when it does not hold or the body is
   * malformed. null: a genuine event that says nothing about a payment's state (recorded, then ignored).
   */
  verifyNotification(headers: NotificationHeaders, rawBody: string): VerifiedNotification | null
  /** Asks the provider for a payment's state (for reconciliation of notifications that never arrived). */
  fetchStatus(providerPaymentId: string): Promise<ProviderPaymentStatus | null>
  /** Pays back all or part of a paid payment; the same idempotency key never refunds twice. */
  refund(request: RefundRequest): Promise<ProviderRefund>
}
