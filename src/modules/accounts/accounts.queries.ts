import { sql } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import type { AccountKind } from '../../platform/db/schema.js'

export type TokenPurpose = 'verify_email' | 'reset_password'

export interface AccountCredentials {
  id: string
  kind: AccountKind
  email: string
  passwordHash: string
  emailVerifiedAt: Date | null
  locale: string
}

export function findAccountByEmail(db: Db, email: string): Promise<AccountCredentials | undefined> {
  return db
    .selectFrom('accounts')
    .select(['id', 'kind', 'email', 'password_hash as passwordHash', 'email_verified_at as emailVerifiedAt', 'locale'])
    .where('email', '=', email)
    .executeTakeFirst()
}

export interface NewAccountRow {
  id: string
  kind: AccountKind
  email: string
  passwordHash: string
  locale: string
  givenName: string | null
  familyName: string | null
  companyName: string | null
}

/** Inserts unless the e-mail is taken; answers whether a row was written (a race loses quietly, like a duplicate). */
export async function insertAccount(db: Db, row: NewAccountRow): Promise<boolean> {
  const inserted = await db
    .insertInto('accounts')
    .values({
      id: row.id,
      kind: row.kind,
      email: row.email,
      password_hash: row.passwordHash,
      locale: row.locale,
      given_name: row.givenName,
      family_name: row.familyName,
      company_name: row.companyName,
    })
    .onConflict(oc => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst()
  return !!inserted
}

export async function insertToken(
  db: Db,
  token: { hash: string; accountId: string; purpose: TokenPurpose; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('account_tokens')
    .values({
      token_hash: token.hash,
      account_id: token.accountId,
      purpose: token.purpose,
      expires_at: token.expiresAt,
    })
    .execute()
}

/** A token that is unused and unexpired, without using it up (to show the reset form). */
export function findUsableToken(db: Db, hash: string, purpose: TokenPurpose) {
  return db
    .selectFrom('account_tokens')
    .select(['account_id as accountId'])
    .where('token_hash', '=', hash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst()
}

/** Uses a token up in one statement, so two clicks cannot both succeed; answers its account or nothing. */
export async function consumeToken(db: Db, hash: string, purpose: TokenPurpose): Promise<string | undefined> {
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', hash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('account_id as accountId')
    .executeTakeFirst()
  return row?.accountId
}

export async function expireTokensOf(db: Db, accountId: string, purpose: TokenPurpose): Promise<void> {
  await db
    .updateTable('account_tokens')
    .set({ used_at: new Date() })
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute()
}

export async function markEmailVerified(db: Db, accountId: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ email_verified_at: sql<Date>`coalesce(email_verified_at, now())` })
    .where('id', '=', accountId)
    .execute()
}

export async function setPasswordHash(db: Db, accountId: string, passwordHash: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', accountId).execute()
}

export async function deleteSessionsOf(db: Db, accountId: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute()
}

export interface ProfileRow {
  givenName: string | null
  familyName: string | null
  birthDate: string | null
  companyName: string | null
  street: string | null
  houseNumber: string | null
  postalCode: string | null
  city: string | null
  phone: string | null
}

/** What a person keeps in their profile, named as the code reads it; the export adds only timestamps. */
export const PROFILE_COLUMNS = [
  'kind',
  'email',
  'locale',
  'given_name as givenName',
  'family_name as familyName',
  'birth_date as birthDate',
  'company_name as companyName',
  'street',
  'house_number as houseNumber',
  'postal_code as postalCode',
  'city',
  'phone',
] as const

export function selectProfileForUpdate(db: Db, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', ...PROFILE_COLUMNS])
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirst()
}

export function selectProfile(db: Db, accountId: string) {
  return db
    .selectFrom('accounts')
    .select([
      'id',
      'kind',
      'email',
      'locale',
      'given_name as givenName',
      'family_name as familyName',
      'birth_date as birthDate',
      'company_name as companyName',
      'street',
      'house_number as houseNumber',
      'postal_code as postalCode',
      'city',
      'phone',
    ])
    .where('id', '=', accountId)
    .executeTakeFirst()
}

export async function updateProfileRow(db: Db, accountId: string, p: ProfileRow): Promise<void> {
  await db
    .updateTable('accounts')
    .set({
      given_name: p.givenName,
      family_name: p.familyName,
      birth_date: p.birthDate,
      company_name: p.companyName,
      street: p.street,
      house_number: p.houseNumber,
      postal_code: p.postalCode,
      city: p.city,
      phone: p.phone,
    })
    .where('id', '=', accountId)
    .execute()
}

/** Whom a case or a report of the account's holder is from and where its mail goes; undefined for no such account. */
export function findAccountContact(db: Db, accountId: string) {
  return db
    .selectFrom('accounts')
    .select([
      'email',
      'email_verified_at as verifiedAt',
      'locale',
      'given_name as givenName',
      'family_name as familyName',
      'company_name as companyName',
    ])
    .where('id', '=', accountId)
    .executeTakeFirst()
}
