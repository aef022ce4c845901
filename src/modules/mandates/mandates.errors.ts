import { DomainError, NotFound } from '../../platform/http/errors.js'

/** Someone else's mandate, or none: answers like a missing one, so ids reveal nothing. */
export class MandateNotFound extends NotFound {
  constructor() {
    super('mandates.errors.notFound')
  }
}

export class MandateNotPending extends DomainError {
  constructor() {
    super(409, 'mandates.errors.notPending')
  }
}

export class MandateAlreadyEnded extends DomainError {
  constructor() {
    super(409, 'mandates.errors.alreadyEnded')
  }
}

export class MembershipNotFound extends NotFound {
  constructor() {
    super('mandates.errors.memberNotFound')
  }
}

/** Only a company's own account and its owners manage its members. */
export class NotAnOwner extends DomainError {
  constructor() {
    super(403, 'mandates.errors.notAnOwner')
  }
}

/** A link goes to one address: only the account with that address may use it, so a forwarded link opens nothing. */
export class LinkForAnotherAddress extends DomainError {
  constructor() {
    super(403, 'mandates.errors.otherAddress')
  }
}
