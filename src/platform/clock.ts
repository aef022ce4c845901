/**
 * Where services read the time when it decides something: deadlines, due jobs and their retries, request-limit
 * windows, sign-in pauses, proof-of-work expiry. The composition root passes one in — the system clock in
 * production, a settable one in tests (tests/support/test-clock.ts), so a test moves time instead of sleeping or
 * rewriting timestamps behind the app's back. Timestamps that only record (logs, audit rows) need no clock.
 */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
