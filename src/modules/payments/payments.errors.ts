import { DomainError } from '../../platform/http/errors.js'

export class NotificationRefused extends DomainError {
  constructor(statusCode: 400 | 401, reason: string) {
    super(statusCode, 'payments.errors.notificationRefused', { reason })
  }
}

export class PaymentNotFound extends DomainError {
  constructor() {
    super(404, 'payments.errors.notFound')
  }
}

/** A signed notification whose amount, currency or reference is not what we asked for. */
export class NotificationMismatch extends DomainError {
  constructor(field: string) {
    super(409, 'payments.errors.mismatch', { field })
  }
}

export class PaymentAmountChanged extends DomainError {
  constructor() {
    super(409, 'payments.errors.amountChanged')
  }
}

/** The service must be paid before the application is sent, and it is not (yet). */
export class PaymentRequired extends DomainError {
  constructor() {
    super(409, 'payments.errors.required')
  }
}

/**
 * The provider could not be reached or answered with an error it did not mean for us to recover from.
 * A 502 (the gateway failed, not our code), logged with the provider's own message as the cause.
 */
export class PaymentProviderFailed extends DomainError {
  constructor(step: 'start' | 'status' | 'refund', options: { cause: unknown }) {
    super(502, `payments.errors.providerFailed.${step}`)
    this.cause = options.cause
  }
}

/** A refund that cannot be made: the payment is not paid, or the amount is wrong or more than is left. */
export class RefundNotPossible extends DomainError {
  constructor(
    readonly reason: 'notPaid' | 'amountInvalid' | 'aboveAvailable',
    available = 0,
  ) {
    super(409, `payments.errors.refund.${reason}`, { available })
  }
}

export class FeeNoticeNotCancellable extends DomainError {
  constructor(reason: 'notOpen' | 'paymentUnderWay') {
    super(409, `payments.errors.notice.${reason}`)
  }
}

export class FeeNoticeNotFound extends DomainError {
  constructor() {
    super(404, 'payments.errors.noticeNotFound')
  }
}

/** A refund request that is not there, or not one the person may decide: both answer alike, so ids reveal nothing. */
export class RefundRequestNotFound extends DomainError {
  constructor() {
    super(404, 'payments.errors.refundRequest.notFound')
  }
}

/** Already approved, rejected or withdrawn (perhaps a moment ago by someone else). */
export class RefundRequestDecided extends DomainError {
  constructor() {
    super(409, 'payments.errors.refundRequest.decided')
  }
}

/** Four-eyes principle: the requester cannot approve or reject their own request, and only they may withdraw it. */
export class RefundRequestOwnDecision extends DomainError {
  constructor(readonly reason: 'ownApproval' | 'ownRejection' | 'notOwn') {
    super(403, `payments.errors.refundRequest.${reason}`)
  }
}
