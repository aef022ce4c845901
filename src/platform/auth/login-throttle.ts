import type { Db, Trx } from '../db/database.js'

/**
 * Password guessing is slowed by a progressive delay rather than a hard lock, so that a stranger typing wrong
 * passwords cannot lock the owner out: failures count per account and address together (the stranger's own
 * attempts), per address (one address trying many accounts) and per account from everywhere (many addresses
 * trying one account) — the last with a short cap, as it is the one a stranger can raise for the owner.
 * Beyond a rule's free failures, each failure doubles the wait after it (1, 2, 4 … minutes) up to the rule's cap;
 * failures older than the window are forgotten.
 */
export const MAX_FAILED_LOGINS = 5
const WINDOW_MINUTES = 60
const RULES = [
  { scope: 'pair', freeFailures: MAX_FAILED_LOGINS, capMinutes: 15 },
  { scope: 'address', freeFailures: 20, capMinutes: 15 },
  { scope: 'account', freeFailures: 20, capMinutes: 2 },
] as const
type Scope = (typeof RULES)[number]['scope']

/** A sign-in attempt: portal and back office count separately, the e-mail case-insensitively, the address as seen. */
export interface LoginAttempt {
  area: 'account' | 'staff'
  email: string
  address: string
}

export const loginKey = (area: LoginAttempt['area'], email: string, address: string): LoginAttempt => ({
  area,
  email: email.trim().toLowerCase(),
  address,
})

const keyOf = (attempt: LoginAttempt, scope: Scope) =>
  scope === 'pair'
    ? `${attempt.area}:${attempt.email}|${attempt.address}`
    : scope === 'address'
      ? `${attempt.area}:address:${attempt.address}`
      : `${attempt.area}:${attempt.email}`

/** The wait after the n-th failure of a rule (0 within its free failures). */
const waitMinutes = (failures: number, rule: (typeof RULES)[number]) =>
  failures < rule.freeFailures ? 0 : Math.min(rule.capMinutes, 2 ** (failures - rule.freeFailures))

/** Minutes until the next attempt is allowed at `now` (the app's clock), or 0 when sign-in is open. */
export async function minutesUntilLoginAllowed(db: Db, attempt: LoginAttempt, now: Date): Promise<number> {
  const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000)
  const keys = RULES.map(rule => keyOf(attempt, rule.scope))
  const rows = await db
    .selectFrom('failed_logins')
    .select(eb => ['login_key', eb.fn.countAll<string>().as('failures'), eb.fn.max('at').as('last')])
    .where('login_key', 'in', keys)
    .where('at', '>', since)
    .groupBy('login_key')
    .execute()
  let waitMs = 0
  for (const rule of RULES) {
    const row = rows.find(r => r.login_key === keyOf(attempt, rule.scope))
    if (!row) continue
    const until = new Date(row.last).getTime() + waitMinutes(Number(row.failures), rule) * 60_000
    waitMs = Math.max(waitMs, until - now.getTime())
  }
  return waitMs > 0 ? Math.ceil(waitMs / 60_000) : 0
}

export async function recordFailedLogin(db: Db, attempt: LoginAttempt, now: Date): Promise<void> {
  await db
    .insertInto('failed_logins')
    .values(RULES.map(rule => ({ login_key: keyOf(attempt, rule.scope), at: now })))
    .execute()
  // Old attempts say nothing any more; dropping them here keeps the table small without a job.
  await db
    .deleteFrom('failed_logins')
    .where('at', '<', new Date(now.getTime() - WINDOW_MINUTES * 60_000))
    .execute()
}

/** A successful sign-in forgets the account's failures (the address's count stays: it may be trying others). */
export async function recordSuccessfulLogin(db: Db, attempt: LoginAttempt): Promise<void> {
  await db
    .deleteFrom('failed_logins')
    .where('login_key', 'in', [keyOf(attempt, 'pair'), keyOf(attempt, 'account')])
    .execute()
}

/** Erasure of an account: its failed sign-ins, counted for the account alone and with each address it came from. */
export async function forgetLoginAttempts(trx: Trx, area: LoginAttempt['area'], email: string): Promise<number> {
  const account = keyOf({ area, email: email.trim().toLowerCase(), address: '' }, 'account')
  const result = await trx
    .deleteFrom('failed_logins')
    .where(eb =>
      eb.or([eb('login_key', '=', account), eb('login_key', 'like', `${account.replace(/[\\%_]/g, '\\$&')}|%`)]),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
