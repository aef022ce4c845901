import type { Db, Trx } from '../../platform/db/database.js'
import type { DeletionCount, PersonalDataHolder } from '../../platform/privacy/index.js'
import { eraseConsents, listConsents } from '../../platform/privacy/consents.js'
import { endAccountSessions } from '../../platform/auth/sessions.js'
import { forgetLoginAttempts } from '../../platform/auth/login-throttle.js'
import { forgetMailsTo } from '../../platform/mail/mail.js'
import { passwordMatches } from '../../platform/auth/password.js'
import { findAccountByEmail, PROFILE_COLUMNS } from './accounts.queries.js'
import { normalizeEmail } from './accounts.validate.js'

/**
 * The account itself: profile, consents, sign-in sessions. Its eraseFor deletes the account row, so it runs last
 * (src/personal-data.ts), after every other holder has detached what it keeps.
 */
export const accountHolder: PersonalDataHolder = {
  id: 'account',
  async exportFor(db: Db, accountId: string) {
    const profile = await db
      .selectFrom('accounts')
      .select([...PROFILE_COLUMNS, 'email_verified_at as emailVerifiedAt', 'created_at as createdAt'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow()
    const sessions = await db
      .selectFrom('sessions')
      .select(['created_at as createdAt', 'expires_at as expiresAt'])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute()
    const consents = (await listConsents(db, accountId)).map(({ id: _id, ...consent }) => consent)
    return { data: { profile, consents, sessions } }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const account = await trx
      .selectFrom('accounts')
      .select('email')
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow()
    const counts: DeletionCount[] = [
      { subjectType: 'session', outcome: 'deleted', count: await endAccountSessions(trx, accountId) },
      { subjectType: 'consent', outcome: 'deleted', count: await eraseConsents(trx, accountId) },
      { subjectType: 'mail', outcome: 'deleted', count: await forgetMailsTo(trx, account.email) },
      {
        subjectType: 'failed-login',
        outcome: 'deleted',
        count: await forgetLoginAttempts(trx, 'account', account.email),
      },
    ]
    const tokens = await trx.deleteFrom('account_tokens').where('account_id', '=', accountId).executeTakeFirst()
    counts.push({ subjectType: 'account-token', outcome: 'deleted', count: Number(tokens.numDeletedRows) })
    await trx.deleteFrom('accounts').where('id', '=', accountId).executeTakeFirstOrThrow()
    counts.push({ subjectType: 'account', outcome: 'deleted', count: 1 })
    return counts
  },
}

/** Whether the password is the account's: deleting an account asks for it again. */
export async function accountPasswordMatches(db: Db, accountId: string, password: string): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirst()
  return passwordMatches(row?.password_hash, password)
}

/** The account behind an address, for staff preparing an export requested on paper. */
export async function accountIdByEmail(db: Db, email: string): Promise<string | undefined> {
  return (await findAccountByEmail(db, normalizeEmail(email)))?.id
}
