import { DomainError } from '../../platform/http/errors.js'

/** Another person's application answers exactly like a missing one. */
export class ApplicationNotFound extends DomainError {
  constructor() {
    super(404, 'postbox.errors.applicationNotFound')
  }
}
