import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import { passwordMatches } from '../../platform/auth/password.js'
import { LANGUAGE_COOKIE, loginSession, setLanguageCookie } from '../../platform/auth/sessions.js'
import { isLocale } from '../../platform/i18n/i18n.js'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import { findAccountByEmail } from './accounts.queries.js'
import { normalizeEmail } from './accounts.validate.js'

export interface AuthenticatedAccount {
  accountId: string
  locale: string
}

export type LoginOutcome =
  | { ok: true; account: AuthenticatedAccount }
  | { ok: false; reason: 'invalidCredentials' | 'emailNotVerified' }

/**
 * A way to prove who someone is. Password is one; the identity module's providers (OpenID Connect, SAML) end in
 * establishAccountSession too, with their level of assurance.
 */
export interface LoginMethod<Credentials> {
  readonly id: string
  authenticate(db: Db, credentials: Credentials): Promise<LoginOutcome>
}

export const passwordLogin: LoginMethod<{ email: string; password: string }> = {
  id: 'password',
  async authenticate(db, { email, password }) {
    const account = email ? await findAccountByEmail(db, normalizeEmail(email)) : undefined
    // Checked even for an unknown address (against a dummy hash), so the answer takes as long either way.
    const matches = await passwordMatches(account?.passwordHash, password)
    if (!account || !matches) return { ok: false, reason: 'invalidCredentials' }
    // Told only to someone who knows the password, so it reveals nothing about which addresses exist.
    if (!account.emailVerifiedAt) return { ok: false, reason: 'emailNotVerified' }
    return { ok: true, account: { accountId: account.id, locale: account.locale } }
  },
}

/**
 * The same end for every login method: a fresh session for the account (drafts move along) and its
 * language — unless the person chose one on this device before signing in, which then becomes the account's.
 */
export async function establishAccountSession(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  account: AuthenticatedAccount,
  provider?: { assurance: AssuranceLevel; identityProvider: string; providerSession?: string },
): Promise<void> {
  await loginSession(db, req, reply, config, { accountId: account.accountId, ...provider })
  const chosen = req.cookies[LANGUAGE_COOKIE]
  if (isLocale(chosen)) {
    if (chosen !== account.locale)
      await db.updateTable('accounts').set({ locale: chosen }).where('id', '=', account.accountId).execute()
  } else {
    setLanguageCookie(reply, config, isLocale(account.locale) ? account.locale : 'de')
  }
}
