import type { Db, Trx } from '../db/database.js'

/** After this many wrong passwords for one account name within the window, sign-in pauses. */
export const MAX_FAILED_LOGINS = 5
export const THROTTLE_WINDOW_MINUTES = 15

/** The key of a sign-in attempt: portal and back office count separately, e-mail case-insensitively. */
export const loginKey = (area: 'account' | 'staff', email: string) => `${area}:${email.trim().toLowerCase()}`

/** Minutes until the next attempt is allowed at `now` (the app's clock), or 0 when sign-in is open. */
export async function minutesUntilLoginAllowed(db: Db, key: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MINUTES * 60_000)
  const rows = await db
    .selectFrom('failed_logins')
    .select('at')
    .where('login_key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'asc')
    .execute()
  if (rows.length < MAX_FAILED_LOGINS) return 0
  const oldest = new Date(rows[rows.length - MAX_FAILED_LOGINS]!.at)
  return Math.max(1, Math.ceil((oldest.getTime() + THROTTLE_WINDOW_MINUTES * 60_000 - now.getTime()) / 60_000))
}

export async function recordFailedLogin(db: Db, key: string, now: Date): Promise<void> {
  await db.insertInto('failed_logins').values({ login_key: key, at: now }).execute()
  // Old attempts say nothing any more; dropping them here keeps the table small without a job.
  await db
    .deleteFrom('failed_logins')
    .where('at', '<', new Date(now.getTime() - THROTTLE_WINDOW_MINUTES * 60_000))
    .execute()
}

/** A successful sign-in forgets the failures and sweeps expired sessions away. */
export async function recordSuccessfulLogin(db: Db, key: string, now: Date): Promise<void> {
  await db.deleteFrom('failed_logins').where('login_key', '=', key).execute()
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute()
}

/** Erasure of an account: its failed sign-ins are keyed by its address. */
export async function forgetLoginAttempts(trx: Trx, key: string): Promise<number> {
  const result = await trx.deleteFrom('failed_logins').where('login_key', '=', key).executeTakeFirst()
  return Number(result.numDeletedRows)
}
