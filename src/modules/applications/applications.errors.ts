import { DomainError } from '../../platform/http/errors.js'

/** Another person's application answers exactly like a missing one. */
export class ApplicationNotFound extends DomainError {
  constructor() {
    super(404, 'postbox.errors.applicationNotFound')
  }
}

/** Staff filing for a person must work in the service's office or hold the counter role. */
export class OnBehalfNotAllowed extends DomainError {
  constructor() {
    super(403, 'applications.errors.onBehalfNotAllowed')
  }
}
