import argon2 from 'argon2'

export const MIN_PASSWORD_LENGTH = 10
/** argon2 takes any length; a bound keeps a megabyte "password" from costing real time. */
export const MAX_PASSWORD_LENGTH = 200

export type PasswordHashCost = 'standard' | 'test'

/**
 * argon2 is slow on purpose. The test suite signs in thousands of times with the demo password, so under its config
 * the hashes are cheap; a hash carries its parameters, so verifying works whichever cost made it.
 */
const COST: Record<PasswordHashCost, { memoryCost?: number; timeCost?: number; parallelism?: number }> = {
  standard: {},
  test: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
}

export function hashPassword(password: string, cost: PasswordHashCost = 'standard'): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...COST[cost] })
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password)
  } catch (error) {
    // A malformed stored hash must not turn a login into a 500; it simply does not match.
    if (error instanceof TypeError) return false
    throw error
  }
}

/** A fixed hash to verify against when the e-mail is unknown, so timing does not reveal which accounts exist. */
let dummyHash: Promise<string> | undefined
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0000')
  return dummyHash
}

/**
 * Whether the password matches the stored hash. Without a hash (unknown address) it is checked
 * against a dummy, so the answer takes as long either way and reveals no account.
 */
export async function passwordMatches(storedHash: string | undefined, password: string): Promise<boolean> {
  const hash = storedHash ?? (await dummyPasswordHash())
  const matches =
    password.length > 0 && password.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(hash, password))
  return matches && storedHash !== undefined
}
