import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { AccountKind, VerifiedFields } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { recordConsent } from '../../platform/privacy/consents.js'

/**
 * What an identity provider vouches for about a person (BundID) or a company (Mein Unternehmenskonto), named as the
 * profile names it. Only what the provider sent is set; these fields are then shown as verified and not editable.
 */
export interface VerifiedAttributes {
  givenName?: string
  familyName?: string
  /** YYYY-MM-DD */
  birthDate?: string
  street?: string
  houseNumber?: string
  postalCode?: string
  city?: string
  companyName?: string
}

const COLUMN_OF: Record<keyof VerifiedAttributes, string> = {
  givenName: 'given_name',
  familyName: 'family_name',
  birthDate: 'birth_date',
  street: 'street',
  houseNumber: 'house_number',
  postalCode: 'postal_code',
  city: 'city',
  companyName: 'company_name',
}

const present = (attributes: VerifiedAttributes) =>
  (Object.keys(COLUMN_OF) as (keyof VerifiedAttributes)[]).filter(key => attributes[key]?.trim())

/**
 * Writes what a provider vouched for into the profile and marks those fields verified (by whom, when). Fields the
 * provider did not send keep their value and their mark. Audited: it changes personal data.
 */
export async function applyVerifiedAttributes(
  trx: Trx,
  accountId: string,
  attributes: VerifiedAttributes,
  providerId: string,
  at: Date,
): Promise<void> {
  const fields = present(attributes)
  if (!fields.length) return
  const row = await trx
    .selectFrom('accounts')
    .select('verified_fields')
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const verified: VerifiedFields = { ...row.verified_fields }
  const values: Record<string, string> = {}
  for (const field of fields) {
    values[COLUMN_OF[field]] = (attributes[field] ?? '').trim()
    verified[field] = { provider: providerId, at: at.toISOString() }
  }
  await trx
    .updateTable('accounts')
    .set({ ...values, verified_fields: JSON.stringify(verified) })
    .where('id', '=', accountId)
    .execute()
  await audit(trx, {
    actor: { accountId },
    action: 'account.update',
    subjectType: 'account',
    subjectId: accountId,
    details: { fields, verifiedBy: providerId },
  })
}

export interface ProviderAccount {
  kind: AccountKind
  email: string
  /** Whether the provider confirmed the address; else the account must confirm it like a registration. */
  emailVerified: boolean
  locale: string
  attributes: VerifiedAttributes
  providerId: string
  at: Date
}

/**
 * An account made by signing in with a provider: no password (it signs in through the provider, or sets one later by
 * "forgot password"), the provider's attributes verified. Answers undefined when the address has an account already.
 */
export async function createProviderAccount(trx: Trx, account: ProviderAccount): Promise<string | undefined> {
  const id = crypto.randomUUID()
  const inserted = await trx
    .insertInto('accounts')
    .values({
      id,
      kind: account.kind,
      email: account.email,
      // Not an argon2 hash, so no password matches it.
      password_hash: '!',
      email_verified_at: account.emailVerified ? account.at : null,
      locale: account.locale,
      created_at: account.at,
    })
    .onConflict(oc => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) return undefined
  await recordConsent(trx, { accountId: id, kind: 'email-notices', at: account.at })
  await applyVerifiedAttributes(trx, id, account.attributes, account.providerId, account.at)
  return id
}

/** Which profile fields are verified, and by which provider (for the profile page and the export). */
export async function verifiedFieldsOf(db: Db, accountId: string): Promise<VerifiedFields> {
  const row = await db.selectFrom('accounts').select('verified_fields').where('id', '=', accountId).executeTakeFirst()
  return row?.verified_fields ?? {}
}

/**
 * An identity unlinked: the fields its provider confirmed become the person's own again (editable, marked as
 * self-entered); the values stay.
 */
export async function dropVerifiedMarks(trx: Trx, accountId: string, providerId: string): Promise<void> {
  const row = await trx
    .selectFrom('accounts')
    .select('verified_fields')
    .where('id', '=', accountId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const kept = Object.fromEntries(Object.entries(row.verified_fields).filter(([, by]) => by?.provider !== providerId))
  await trx
    .updateTable('accounts')
    .set({ verified_fields: JSON.stringify(kept) })
    .where('id', '=', accountId)
    .execute()
}

/** Whether the account can sign in with a password (an account made through a provider has none until it sets one). */
export async function hasPassword(db: Db, accountId: string): Promise<boolean> {
  const row = await db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirst()
  return Boolean(row && row.password_hash !== '!')
}
