import { DomainError } from '../../platform/http/errors.js'

/** Another person's message answers exactly like a missing one. */
export class MessageNotFound extends DomainError {
  constructor() {
    super(404, 'postbox.errors.messageNotFound')
  }
}
