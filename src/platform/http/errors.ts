import type { TranslateParams } from '../i18n/i18n.js'

/** An error that stops a request with a status and a translated message; anything else is a 500. */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly messageKey: string,
    readonly params: TranslateParams = {},
  ) {
    super(messageKey)
  }
}

export class NotFound extends DomainError {
  constructor(messageKey = 'errors.notFound', params: TranslateParams = {}) {
    super(404, messageKey, params)
  }
}

export class Forbidden extends DomainError {
  constructor(messageKey = 'errors.forbidden') {
    super(403, messageKey)
  }
}

export class BadRequest extends DomainError {
  constructor(messageKey = 'errors.badRequest', params: TranslateParams = {}) {
    super(400, messageKey, params)
  }
}

export class Conflict extends DomainError {
  constructor(messageKey: string, params: TranslateParams = {}) {
    super(409, messageKey, params)
  }
}
