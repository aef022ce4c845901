import { DomainError } from '../../platform/http/errors.js'

/** No service says `routing: { kind: contact }`: the city has no contact form. */
export class ContactServiceMissing extends DomainError {
  constructor() {
    super(404, 'contact.errors.noService')
  }
}
