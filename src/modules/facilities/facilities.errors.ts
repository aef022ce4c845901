import { DomainError } from '../../platform/http/errors.js'

/** No hall or room of that id (or a counter's id typed into the address): answers like a missing page. */
export class FacilityNotFound extends DomainError {
  constructor() {
    super(404, 'facilities.errors.notFound')
  }
}

/** A booking, application or season that is not the person's (or the office's), or does not exist: alike. */
export class FacilityRecordNotFound extends DomainError {
  constructor() {
    super(404, 'facilities.errors.recordNotFound')
  }
}

/** Only the sports office's caseworkers and team leads handle applications, allocations and closures. */
export class NotTheSportsOffice extends DomainError {
  constructor() {
    super(403, 'facilities.errors.notTheOffice')
  }
}

/** A decision taken already (a second click, or a colleague was quicker). */
export class AlreadyDecided extends DomainError {
  constructor() {
    super(409, 'facilities.errors.alreadyDecided')
  }
}

/** The season's plan is published: its allocation no longer changes here. */
export class SeasonPublished extends DomainError {
  constructor() {
    super(409, 'facilities.errors.seasonPublished')
  }
}
