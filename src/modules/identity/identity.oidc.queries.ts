import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { OidcSignInIntent } from '../../platform/db/schema.js'

export const hashOf = (value: string) => crypto.createHash('sha256').update(value).digest('hex')

export interface PendingSignIn {
  state: string
  browserHash: string
  providerId: string
  codeVerifier: string
  nonce: string
  intent: OidcSignInIntent
  expiresAt: Date
}

/** Keeps a sign-in under way; sign-ins nobody came back for are dropped on the way. */
export async function insertSignIn(db: Db, signIn: PendingSignIn, now: Date): Promise<void> {
  await db.deleteFrom('oidc_sign_ins').where('expires_at', '<', now).execute()
  await db
    .insertInto('oidc_sign_ins')
    .values({
      state_hash: hashOf(signIn.state),
      browser_hash: signIn.browserHash,
      provider_id: signIn.providerId,
      code_verifier: signIn.codeVerifier,
      nonce: signIn.nonce,
      intent: JSON.stringify(signIn.intent),
      expires_at: signIn.expiresAt,
    })
    .execute()
}

/** Takes the sign-in of this state out (once: a second answer with the same state finds nothing). */
export function takeSignIn(db: Db, state: string) {
  return db
    .deleteFrom('oidc_sign_ins')
    .where('state_hash', '=', hashOf(state))
    .returning([
      'browser_hash as browserHash',
      'provider_id as providerId',
      'code_verifier as codeVerifier',
      'nonce',
      'intent',
      'expires_at as expiresAt',
    ])
    .executeTakeFirst()
}

/** Keeps the ID token of a provider session for its logout; those of sessions long ended are dropped on the way. */
export async function rememberLogin(
  db: Db,
  login: { providerId: string; providerSession: string; accountId: string; idToken: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute()
  await db
    .insertInto('oidc_logins')
    .values({
      provider_id: login.providerId,
      provider_session: login.providerSession,
      account_id: login.accountId,
      id_token: login.idToken,
      expires_at: login.expiresAt,
    })
    .onConflict(oc =>
      oc.columns(['provider_id', 'provider_session']).doUpdateSet({
        account_id: login.accountId,
        id_token: login.idToken,
        expires_at: login.expiresAt,
      }),
    )
    .execute()
}

/** The ID token of a provider session, taken out (the session is ending). */
export async function takeLogin(db: Db, providerId: string, providerSession: string) {
  const row = await db
    .deleteFrom('oidc_logins')
    .where('provider_id', '=', providerId)
    .where('provider_session', '=', providerSession)
    .returning(['id_token as idToken', 'expires_at as expiresAt'])
    .executeTakeFirst()
  return row
}

export async function forgetLogins(
  db: Db,
  providerId: string,
  which: { providerSession?: string; accountIds?: string[] },
) {
  let query = db.deleteFrom('oidc_logins').where('provider_id', '=', providerId)
  if (which.providerSession) query = query.where('provider_session', '=', which.providerSession)
  if (which.accountIds) {
    if (!which.accountIds.length) return
    query = query.where('account_id', 'in', which.accountIds)
  }
  await query.execute()
}

/** Records a logout token's jti; false when it was seen before (a replay). */
export async function claimLogoutToken(db: Db, providerId: string, jti: string, expiresAt: Date, now: Date) {
  await db.deleteFrom('oidc_logout_tokens').where('expires_at', '<', now).execute()
  const inserted = await db
    .insertInto('oidc_logout_tokens')
    .values({ provider_id: providerId, jti: hashOf(jti), expires_at: expiresAt })
    .onConflict(oc => oc.columns(['provider_id', 'jti']).doNothing())
    .returning('jti')
    .executeTakeFirst()
  return Boolean(inserted)
}

/** The accounts linked to a provider's subject (at most one). */
export async function accountsOfSubject(db: Db, providerId: string, subject: string): Promise<string[]> {
  const rows = await db
    .selectFrom('account_identities')
    .select('account_id')
    .where('provider_id', '=', providerId)
    .where('subject', '=', subject)
    .execute()
  return rows.map(row => row.account_id)
}
