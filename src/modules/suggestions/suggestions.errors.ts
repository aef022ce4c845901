import { DomainError } from '../../platform/http/errors.js'

/** Not one of the person's current suggestions: another person's case answers exactly like a missing one. */
export class SuggestionNotFound extends DomainError {
  constructor() {
    super(404, 'suggestions.errors.notFound')
  }
}

/** A dismissal without a rule and case the page could have sent. */
export class SuggestionMalformed extends DomainError {
  constructor() {
    super(400, 'suggestions.errors.malformed')
  }
}
