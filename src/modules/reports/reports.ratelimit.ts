import type { Trx } from '../../platform/db/database.js'
import { ReportRateLimited } from './reports.errors.js'
import { countInRateWindow, deleteRateWindowsBefore } from './reports.queries.js'

/** At most this many reports per client in one window: enough for a walk through the park, not for a flood. */
export const REPORTS_PER_WINDOW = 5
export const WINDOW_MINUTES = 10
/** An Open311 client (one key) speaks for many people; its own ceiling is higher. */
export const REPORTS_PER_WINDOW_PER_API_KEY = 500
/**
 * One address behind a key: a city app's server posts everyone's reports from one address, so five would stop it
 * at once; fifty still stops one person flooding through a browser app that holds the key.
 */
export const REPORTS_PER_WINDOW_PER_API_ADDRESS = 50

export interface RateLimitKey {
  key: string
  max: number
}

/**
 * Counts one report against each key in the current fixed window, in the caller's transaction (a table, so every app
 * process shares it). Over the limit it throws; the transaction then rolls the count back, so refused tries do not
 * lengthen the wait.
 */
export async function countReportSubmission(trx: Trx, keys: RateLimitKey[], now = new Date()): Promise<void> {
  const windowMs = WINDOW_MINUTES * 60_000
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs)
  for (const { key, max } of keys) {
    const count = await countInRateWindow(trx, key, windowStart)
    if (count > max) {
      throw new ReportRateLimited(Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 60_000)))
    }
  }
  // Old windows say nothing any more; dropping them here keeps the table small without a job.
  await deleteRateWindowsBefore(trx, new Date(windowStart.getTime() - windowMs))
}
