import type { Clock } from '../../src/platform/clock.js'

/**
 * A clock for tests. By default it runs with the system clock, plus however far the test has moved it; given a start
 * time it stands still there until moved. It only moves forward, as time does, so rows the database stamped with its
 * own now() stay in the past.
 */
export class TestClock implements Clock {
  private offsetMs = 0
  private readonly frozenAt: number | undefined
  /** How often the time was read: a test waits for a polling worker to have looked at it again. */
  reads = 0

  constructor(standingStillAt?: Date) {
    this.frozenAt = standingStillAt?.getTime()
  }

  now(): Date {
    this.reads++
    return new Date((this.frozenAt ?? Date.now()) + this.offsetMs)
  }

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('a test clock only moves forward')
    this.offsetMs += ms
  }

  /** Moves time forward to the start of the next whole `periodMs` (e.g. the next minute). */
  advanceToNext(periodMs: number): void {
    const now = (this.frozenAt ?? Date.now()) + this.offsetMs
    this.advance(periodMs - (now % periodMs))
  }
}
