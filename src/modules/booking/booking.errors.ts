import { DomainError } from '../../platform/http/errors.js'
import type { Slot } from './booking.slots.js'

/** No resource of that id: a link from an old page, or a made-up one. */
export class ResourceNotFound extends DomainError {
  constructor() {
    super(404, 'booking.errors.resourceNotFound')
  }
}

/** No such booking, or the link's secret is not this booking's: both answer alike, so ids cannot be probed. */
export class BookingNotFound extends DomainError {
  constructor() {
    super(404, 'booking.errors.notFound')
  }
}

/** Why a time cannot be booked by the rules, before anyone else is asked: each its own message. */
export type RuleBreach =
  | 'inPast'
  | 'tooSoon'
  | 'tooFarAhead'
  | 'outsideHours'
  | 'tooShort'
  | 'tooLong'
  | 'unknownPart'
  | 'unknownConcern'

export class TimeNotOffered extends DomainError {
  constructor(
    readonly breach: RuleBreach,
    params: Record<string, string | number> = {},
  ) {
    super(422, `booking.errors.${breach}`, params)
  }
}

/**
 * Someone else booked the time between the page and the click (or the last unit went to a concurrent request).
 * Carries the next free times, so the page offers them at once.
 */
export class TimeJustTaken extends DomainError {
  constructor(readonly alternatives: Slot[]) {
    super(409, 'booking.errors.justTaken')
  }
}

/** The rules' last moment for cancelling or rebooking has passed; the office can still help. */
export class TooLateToChange extends DomainError {
  constructor(until: string) {
    super(409, 'booking.errors.tooLateToChange', { until })
  }
}

/** The booking was cancelled (or is over) already: a second click of the same link. */
export class BookingNotActive extends DomainError {
  constructor() {
    super(409, 'booking.errors.notActive')
  }
}
