import { DomainError } from '../../platform/http/errors.js'

/** The same person already holds this time at this place: a second click of "book", or the back button. */
export class AlreadyBooked extends DomainError {
  constructor(readonly reference: string) {
    super(409, 'appointments.errors.alreadyBooked', { reference })
  }
}

/** A waiting-list entry that does not exist, or a link whose secret is not its own. */
export class WaitlistEntryNotFound extends DomainError {
  constructor() {
    super(404, 'appointments.errors.waitlistNotFound')
  }
}
