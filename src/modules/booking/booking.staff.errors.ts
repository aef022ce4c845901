import { DomainError } from '../../platform/http/errors.js'

/** A booking that stands in the way of a block: what the refusal lists, with a link to move or cancel it. */
export interface InTheWay {
  id: string
  reference: string
  start: Date
  end: Date
}

/** A marking at the counter that does not fit where the booking stands (a no-show before the start, a block). */
export class AttendanceNotPossible extends DomainError {
  constructor(why: 'block' | 'notStarted' | `from.${string}`) {
    super(409, `booking.staff.errors.attendance.${why}`)
  }
}

/** A block over a time that is booked: refused as a whole, naming the bookings in the way. */
export class BlockNotFree extends DomainError {
  constructor(readonly inTheWay: InTheWay[]) {
    super(409, 'booking.staff.errors.blockNotFree', { count: inTheWay.length })
  }
}

/** A staff member without a role that reaches any bookable resource (the treasury, an office without one). */
export class NoBookableResource extends DomainError {
  constructor() {
    super(403, 'booking.staff.errors.noResource')
  }
}

/** A calendar feed's URL that names no live feed: wrong secret, revoked, or made up; all answer alike. */
export class FeedNotFound extends DomainError {
  constructor() {
    super(404, 'booking.feeds.errors.notFound')
  }
}
