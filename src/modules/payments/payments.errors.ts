import { DomainError } from '../../platform/http/errors.js'

export class NotificationRefused extends DomainError {
  constructor(statusCode: 400 | 401, reason: string) { super(statusCode, 'payments.errors.notificationRefused', { reason }) }
}

export class PaymentNotFound extends DomainError {
  constructor() { super(404, 'payments.errors.notFound') }
}

/** A signed notification whose amount, currency or reference is not what we asked for. */
export class NotificationMismatch extends DomainError {
  constructor(field: string) { super(409, 'payments.errors.mismatch', { field }) }
}

export class PaymentAmountChanged extends DomainError {
  constructor() { super(409, 'payments.errors.amountChanged') }
}

/** The service must be paid before the application is sent, and it is not (yet). */
export class PaymentRequired extends DomainError {
  constructor() { super(409, 'payments.errors.required') }
}
