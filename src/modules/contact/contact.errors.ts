import { BadRequest, DomainError } from '../../platform/http/errors.js'
import type { AnswerError } from '../forms/index.js'

/** An enquiry the person must correct: every problem at once, each with its field. */
export class ContactInvalid extends BadRequest {
  constructor(readonly errors: AnswerError[]) {
    super(errors[0]?.key ?? 'contact.errors.invalid', errors[0]?.params ?? {})
  }
}

/** No service says `routing: { kind: contact }`: the city has no contact form. */
export class ContactServiceMissing extends DomainError {
  constructor() {
    super(404, 'contact.errors.noService')
  }
}
