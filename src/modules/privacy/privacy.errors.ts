import { DomainError, NotFound } from '../../platform/http/errors.js'

export class ExportNotFound extends NotFound {
  constructor() {
    super('privacy.errors.exportNotFound')
  }
}

/** Still being prepared, or already deleted after its download time. */
export class ExportNotReady extends DomainError {
  constructor() {
    super(409, 'privacy.errors.exportNotReady')
  }
}

export class ConsentNotFound extends NotFound {
  constructor() {
    super('privacy.errors.consentNotFound')
  }
}
