import { DomainError } from '../../platform/http/errors.js'

/** Staff without the treasury role: the treasury is no secret, so this is a plain 403, not a 404. */
export class TreasuryRoleMissing extends DomainError {
  constructor() {
    super(403, 'treasury.errors.roleMissing')
  }
}

export class InvalidTreasuryCursor extends DomainError {
  constructor() {
    super(400, 'treasury.errors.invalidCursor')
  }
}
