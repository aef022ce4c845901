import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { ExternalIdentity } from './identity.types.js'

/** How long the person may take at the provider (choosing a method, reading the ID card). */
export const SAML_REQUEST_LIFETIME_MS = 30 * 60_000
/** How long the one-time code from the ACS is good for: the browser uses it at once, in the redirect. */
export const SAML_CODE_LIFETIME_MS = 2 * 60_000

export const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex')

export interface SamlSignInRequest {
  requestId: string
  providerId: string
  browserHash: string
  returnTo: string
  assurance: AssuranceLevel | null
  link: boolean
  locale: string
}

/**
 * Requests never answered and answers never fetched, once expired: gone with the identity they may hold (sessions
 * sweep, every 15 minutes). Returns how many.
 */
export async function forgetExpiredSamlSignIns(db: Db, now: Date): Promise<number> {
  const gone = await db.deleteFrom('saml_sign_ins').where('expires_at', '<', now).executeTakeFirst()
  return Number(gone.numDeletedRows)
}

/** Keeps an AuthnRequest we send. */
export async function saveSamlRequest(db: Db, request: SamlSignInRequest, now: Date): Promise<void> {
  await db
    .insertInto('saml_sign_ins')
    .values({
      request_id: request.requestId,
      provider_id: request.providerId,
      browser_hash: request.browserHash,
      return_to: request.returnTo,
      assurance: request.assurance,
      link: request.link,
      locale: request.locale,
      created_at: now,
      expires_at: new Date(now.getTime() + SAML_REQUEST_LIFETIME_MS),
    })
    .execute()
}

/** A request still waiting for its answer: the language it began in and the level it needs. */
export async function pendingSamlRequest(db: Db, providerId: string, requestId: string) {
  return db
    .selectFrom('saml_sign_ins')
    .select(['locale', 'assurance'])
    .where('request_id', '=', requestId)
    .where('provider_id', '=', providerId)
    .executeTakeFirst()
}

/** The account a provider's subject is linked to (Single Logout by NameID). */
export async function accountOfSamlSubject(db: Db, providerId: string, subject: string) {
  const row = await db
    .selectFrom('account_identities')
    .select('account_id')
    .where('provider_id', '=', providerId)
    .where('subject', '=', subject)
    .executeTakeFirst()
  return row?.account_id
}

/**
 * Takes the answer to a pending request, once: the request must be ours, for this provider, unanswered and not
 * expired. Returns the request, or undefined (unknown, replayed or expired).
 */
export async function answerSamlRequest(
  db: Db,
  providerId: string,
  requestId: string,
  now: Date,
  answer: { codeHash: string; identity: ExternalIdentity } | null,
): Promise<SamlSignInRequest | undefined> {
  const row = await db
    .updateTable('saml_sign_ins')
    .set({
      answered_at: now,
      code_hash: answer?.codeHash ?? null,
      identity: answer ? JSON.stringify(answer.identity) : null,
      expires_at: new Date(now.getTime() + SAML_CODE_LIFETIME_MS),
    })
    .where('request_id', '=', requestId)
    .where('provider_id', '=', providerId)
    .where('answered_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['request_id', 'provider_id', 'browser_hash', 'return_to', 'assurance', 'link', 'locale'])
    .executeTakeFirst()
  return row && rowToRequest(row)
}

/** Takes the identity kept under a one-time code, once; the row goes whatever the outcome. */
export async function takeSamlCode(db: Db, providerId: string, code: string, now: Date) {
  const row = await db
    .deleteFrom('saml_sign_ins')
    .where('code_hash', '=', sha256(code))
    .where('provider_id', '=', providerId)
    .returning([
      'request_id',
      'provider_id',
      'browser_hash',
      'return_to',
      'assurance',
      'link',
      'locale',
      'identity',
      'expires_at',
    ])
    .executeTakeFirst()
  if (!row) return undefined
  return {
    request: rowToRequest(row),
    identity: row.identity as ExternalIdentity | null,
    expired: new Date(row.expires_at) <= now,
  }
}

function rowToRequest(row: {
  request_id: string
  provider_id: string
  browser_hash: string
  return_to: string
  assurance: AssuranceLevel | null
  link: boolean
  locale: string
}): SamlSignInRequest {
  return {
    requestId: row.request_id,
    providerId: row.provider_id,
    browserHash: row.browser_hash,
    returnTo: row.return_to,
    assurance: row.assurance,
    link: row.link,
    locale: row.locale,
  }
}

/** The subject an account is linked to a provider with (the NameID of our LogoutRequest). */
export async function subjectOfSamlAccount(db: Db, providerId: string, accountId: string) {
  const row = await db
    .selectFrom('account_identities')
    .select('subject')
    .where('provider_id', '=', providerId)
    .where('account_id', '=', accountId)
    .orderBy('last_used_at', 'desc')
    .executeTakeFirst()
  return row?.subject
}
