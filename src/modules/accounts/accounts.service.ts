import { verifiedFieldsOf } from './accounts.verified.js'
import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { Config } from '../../platform/config.js'
import type { Translate } from '../../platform/i18n/i18n.js'
import { hashPassword } from '../../platform/auth/password.js'
import { queueMail, queueMailWithinQuota } from '../../platform/mail/mail.js'
import { audit } from '../../platform/audit/audit.js'
import { NotFound } from '../../platform/http/errors.js'
import { recordConsent } from '../../platform/privacy/consents.js'
import {
  deleteSessionsOf,
  expireTokensOf,
  findAccountByEmail,
  insertAccount,
  markEmailVerified,
  selectProfile,
  selectProfileForUpdate,
  setPasswordHash,
  updateProfileRow,
} from './accounts.queries.js'
import { issueToken, redeemToken } from './accounts.tokens.js'
import { normalizeEmail, PROFILE_FIELDS, type Profile, type Registration } from './accounts.validate.js'

/** What the mails need besides the data: links and the reader's language. */
export interface MailContext {
  config: Config
  t: Translate
}

/** The confirmation link; quota-bound when anyone may ask for it again by typing the address (resending). */
async function sendVerificationMail(
  db: Db,
  { config, t }: MailContext,
  accountId: string,
  email: string,
  quotaBound: boolean,
): Promise<void> {
  const token = await issueToken(db, accountId, 'verify_email')
  const mail = {
    to: email,
    subject: t.text('accounts.mail.verify.subject'),
    text: t.text('accounts.mail.verify.body', {
      link: `${config.baseUrl}/verify-email?token=${token}`,
      city: config.cityName,
    }),
  }
  await (quotaBound ? queueMailWithinQuota(db, mail) : queueMail(db, mail))
}

/**
 * Creates an account and sends the confirmation link. A taken address gets the same answer on the
 * page, and its holder a note instead, so the form reveals nobody's account.
 */
export async function registerAccount(db: Db, mail: MailContext, registration: Registration): Promise<void> {
  // Hashed either way, so a taken address does not answer faster.
  const passwordHash = await hashPassword(registration.password, mail.config.passwordHashCost)
  await db.transaction().execute(async trx => {
    const id = crypto.randomUUID()
    const created = await insertAccount(trx, {
      id,
      kind: registration.kind,
      email: registration.email,
      passwordHash,
      locale: mail.t.locale,
      givenName: registration.givenName,
      familyName: registration.familyName,
      companyName: registration.companyName,
    })
    if (created) {
      // The registration page says that new postbox messages are announced by e-mail (withdrawable in "Meine Daten").
      await recordConsent(trx, { accountId: id, kind: 'email-notices', at: new Date() })
      // An address has one account, so this first link cannot be repeated: it always goes.
      await sendVerificationMail(trx, mail, id, registration.email, false)
    } else {
      await queueMailWithinQuota(trx, {
        to: registration.email,
        subject: mail.t.text('accounts.mail.duplicate.subject'),
        text: mail.t.text('accounts.mail.duplicate.body', {
          login: `${mail.config.baseUrl}/login`,
          reset: `${mail.config.baseUrl}/password/forgot`,
          city: mail.config.cityName,
        }),
      })
    }
  })
}

/**
 * A new confirmation link, for an existing unconfirmed account only, within the address's hourly quota; the page
 * answers the same in every case (it names the quota), so it reveals no account.
 */
export async function resendVerification(db: Db, mail: MailContext, email: string): Promise<void> {
  const account = await findAccountByEmail(db, normalizeEmail(email))
  if (!account || account.emailVerifiedAt) return
  await db.transaction().execute(trx => sendVerificationMail(trx, mail, account.id, account.email, true))
}

/** Confirms the address behind a link; false when the link is unknown, used or expired. */
export async function verifyEmail(db: Db, token: unknown): Promise<boolean> {
  return db.transaction().execute(async trx => {
    const accountId = await redeemToken(trx, token, 'verify_email')
    if (!accountId) return false
    await markEmailVerified(trx, accountId)
    return true
  })
}

/**
 * A reset link to an account's address. Anyone can type the address, so the link is quota-bound; notifications the
 * holder got do not count. The page answers the same in every case (it names the quota), so it reveals no account.
 */
export async function requestPasswordReset(db: Db, mail: MailContext, email: string): Promise<void> {
  const account = await findAccountByEmail(db, normalizeEmail(email))
  if (!account) return
  await db.transaction().execute(async trx => {
    const token = await issueToken(trx, account.id, 'reset_password')
    await queueMailWithinQuota(trx, {
      to: account.email,
      subject: mail.t.text('accounts.mail.reset.subject'),
      text: mail.t.text('accounts.mail.reset.body', {
        link: `${mail.config.baseUrl}/password/reset?token=${token}`,
        city: mail.config.cityName,
      }),
    })
  })
}

/**
 * Sets a new password from a reset link. Every session of the account ends, so whoever knew the old
 * password is out; the link also proves the address, so it counts as confirmed.
 */
export async function resetPassword(db: Db, token: unknown, newPassword: string): Promise<boolean> {
  const passwordHash = await hashPassword(newPassword)
  return db.transaction().execute(async trx => {
    const accountId = await redeemToken(trx, token, 'reset_password')
    if (!accountId) return false
    await setPasswordHash(trx, accountId, passwordHash)
    await markEmailVerified(trx, accountId)
    await expireTokensOf(trx, accountId, 'reset_password')
    await deleteSessionsOf(trx, accountId)
    await audit(trx, {
      actor: { accountId },
      action: 'account.password_reset',
      subjectType: 'account',
      subjectId: accountId,
    })
    return true
  })
}

export type StoredProfile = NonNullable<Awaited<ReturnType<typeof selectProfile>>>

export async function loadProfile(db: Db, accountId: string): Promise<StoredProfile> {
  const row = await selectProfile(db, accountId)
  if (!row) throw new NotFound()
  return { ...row, birthDate: dateOnly(row.birthDate) }
}

/** PGlite may hand a DATE back as a Date; the account speaks YYYY-MM-DD. */
export function dateOnly(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value).slice(0, 10)
}

/** Saves the holder's details and records which fields changed (names only: the values are personal data). */
export async function updateAccountProfile(db: Db, accountId: string, profile: Profile): Promise<void> {
  await db.transaction().execute(async trx => {
    const current = await selectProfileForUpdate(trx, accountId)
    if (!current) throw new NotFound()
    const before: Profile = { ...current, birthDate: dateOnly(current.birthDate) }
    // What a provider vouched for stays as it is, whatever the form sent.
    const verified = await verifiedFieldsOf(trx, accountId)
    const kept: Profile = { ...profile }
    for (const field of PROFILE_FIELDS) if (verified[field]) kept[field] = before[field] ?? null
    const changed = PROFILE_FIELDS.filter(f => (before[f] ?? null) !== (kept[f] ?? null))
    if (changed.length === 0) return
    await updateProfileRow(trx, accountId, kept)
    await audit(trx, {
      actor: { accountId },
      action: 'account.update',
      subjectType: 'account',
      subjectId: accountId,
      details: { fields: changed },
    })
  })
}
