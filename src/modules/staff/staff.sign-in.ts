import type { Db } from '../../platform/db/database.js'
import { type LoginAttempt, recordFailedLogin } from '../../platform/auth/login-throttle.js'
import {
  countFailedAttempt,
  deletePendingSignIn,
  findPendingSignIn,
  insertPendingSignIn,
  rolesOf,
} from './staff.second-factor.queries.js'
import { hasSecondFactor, requiresSecondFactor, secondFactorsOf } from './staff.second-factor.js'

/** The second step must follow the password soon; a forgotten half sign-in does not linger. */
const PENDING_MS = 10 * 60_000
/** Wrong codes in one half sign-in before the password is asked again (which the sign-in throttle counts). */
const MAX_WRONG_CODES = 5

/** What follows a right password: signed in, the second factor, or setting one up first. */
export type SignInStep = 'complete' | 'secondFactor' | 'enrol'

export async function stepAfterPassword(
  db: Db,
  requiredRoles: readonly string[],
  staffId: string,
): Promise<SignInStep> {
  const factors = await secondFactorsOf(db, staffId)
  if (hasSecondFactor(factors)) return 'secondFactor'
  return requiresSecondFactor(requiredRoles, await rolesOf(db, staffId)) ? 'enrol' : 'complete'
}

/** Marks the (still anonymous) session as half signed in; it opens nothing but the second step. */
export function beginPendingSignIn(
  db: Db,
  sessionHash: string,
  staffId: string,
  returnTo: string | undefined,
  now: Date,
) {
  return insertPendingSignIn(db, sessionHash, staffId, returnTo ?? null, now)
}

export interface PendingSignIn {
  staffId: string
  email: string
  name: string
  returnTo: string | null
}

/** The session's half sign-in, if it has one that has not expired. */
export async function findPending(
  db: Db,
  sessionHash: string | undefined,
  now: Date,
): Promise<PendingSignIn | undefined> {
  if (!sessionHash) return undefined
  const pending = await findPendingSignIn(db, sessionHash)
  if (!pending) return undefined
  if (now.getTime() - pending.startedAt.getTime() > PENDING_MS) {
    await deletePendingSignIn(db, sessionHash)
    return undefined
  }
  return pending
}

/**
 * Counts a wrong code; after too many the half sign-in ends and the password is asked again. Each wrong code also
 * counts as a failed sign-in of the address, so someone who knows the password cannot try codes without end, one
 * half sign-in after another. Returns whether the half sign-in goes on.
 */
export async function recordWrongCode(db: Db, sessionHash: string, attempt: LoginAttempt, now: Date): Promise<boolean> {
  await recordFailedLogin(db, attempt, now)
  const row = await countFailedAttempt(db, sessionHash)
  if (row && row.failedAttempts < MAX_WRONG_CODES) return true
  await deletePendingSignIn(db, sessionHash)
  return false
}

/**
 * Forgets half sign-ins and passkey challenges nobody finished. The session's own row is not the anchor (an
 * anonymous session has none), so the sessions sweep calls this beside its own work.
 */
export async function forgetAbandonedSignIns(db: Db, now: Date): Promise<void> {
  const pendingBefore = new Date(now.getTime() - PENDING_MS)
  await db.deleteFrom('staff_pending_sign_ins').where('started_at', '<', pendingBefore).execute()
  await db.deleteFrom('staff_webauthn_challenges').where('created_at', '<', pendingBefore).execute()
}
