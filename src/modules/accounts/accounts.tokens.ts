import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import { consumeToken, findUsableToken, insertToken, type TokenPurpose } from './accounts.queries.js'

export const TOKEN_VALIDITY_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3_600_000,
  reset_password: 3_600_000,
}

/** Tokens in links are random; only their hash is stored, so a database leak opens no account. */
export function hashAccountToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex')
}

/** A token looks like ours: 32 random bytes in base64url. Anything else is not looked up at all. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token)
}

export async function issueToken(db: Db, accountId: string, purpose: TokenPurpose): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url')
  await insertToken(db, {
    hash: hashAccountToken(token),
    accountId,
    purpose,
    expiresAt: new Date(Date.now() + TOKEN_VALIDITY_MS[purpose]),
  })
  return token
}

export async function isUsableToken(db: Db, token: unknown, purpose: TokenPurpose): Promise<boolean> {
  if (!isWellFormedToken(token)) return false
  return !!(await findUsableToken(db, hashAccountToken(token), purpose))
}

/** Uses a token up; answers the account it belongs to, or undefined when it is unknown, used or expired. */
export async function redeemToken(db: Db, token: unknown, purpose: TokenPurpose): Promise<string | undefined> {
  if (!isWellFormedToken(token)) return undefined
  return consumeToken(db, hashAccountToken(token), purpose)
}
