import { DomainError } from '../../platform/http/errors.js'

/** The waiting room opens shortly before the booked time; the person is told from when. */
export class CallNotYetOpen extends DomainError {
  constructor(from: string) {
    super(409, 'video.errors.notYetOpen', { from })
  }
}

/** The appointment's time is long over, or the booking was cancelled: the link no longer opens a call. */
export class CallOver extends DomainError {
  constructor() {
    super(409, 'video.errors.over')
  }
}

/** Admitting someone who is not (or no longer) in the waiting room. */
export class NobodyWaiting extends DomainError {
  constructor() {
    super(409, 'video.errors.nobodyWaiting')
  }
}

/** A step that needs the running call (sending a document, confirming the identity, signalling) after it ended. */
export class CallNotRunning extends DomainError {
  constructor() {
    super(409, 'video.errors.notRunning')
  }
}

/** A document or an identity check needs a case to go into; the caseworker links one first. */
export class NoCaseLinked extends DomainError {
  constructor(forWhom: 'person' | 'staff') {
    super(409, forWhom === 'person' ? 'video.errors.noCasePerson' : 'video.errors.noCaseStaff')
  }
}

/** A signalling message or chat line the clients would never send: its own short message, never a 500. */
export class SignalMalformed extends DomainError {
  constructor(key: 'kind' | 'chatEmpty' | 'chatTooLong' | 'description' | 'candidate') {
    super(400, `video.errors.signal.${key}`)
  }
}
