import crypto from 'node:crypto'
import type { Db, Trx } from '../db/database.js'
import type { ConsentKind } from '../db/schema.js'

/**
 * The version of the text a person agrees to, per kind. A changed text gets a new version here (and its wording in
 * the privacy module's locales), so a consent proves what was agreed to (Art. 7 (1) DSGVO).
 */
export const CONSENT_TEXT_VERSIONS: Record<ConsentKind, string> = {
  'email-notices': '2026-12',
  'report-following': '2026-12',
  'personalised-suggestions': '2026-12',
}

export interface Consent {
  id: string
  kind: ConsentKind
  subjectRef: string | null
  textVersion: string
  givenAt: Date
  withdrawnAt: Date | null
}

/** Records a consent just given, in the caller's transaction; an active one of the same kind and subject stays. */
export async function recordConsent(
  db: Db | Trx,
  input: { accountId: string; kind: ConsentKind; subjectRef?: string | null; at: Date },
): Promise<void> {
  const active = await activeConsents(db, input.accountId, input.kind, input.subjectRef ?? null)
  if (active.length) return
  await db
    .insertInto('consents')
    .values({
      id: crypto.randomUUID(),
      account_id: input.accountId,
      kind: input.kind,
      subject_ref: input.subjectRef ?? null,
      text_version: CONSENT_TEXT_VERSIONS[input.kind],
      given_at: input.at,
    })
    .execute()
}

function activeConsents(db: Db | Trx, accountId: string, kind: ConsentKind, subjectRef: string | null) {
  let query = db
    .selectFrom('consents')
    .select('id')
    .where('account_id', '=', accountId)
    .where('kind', '=', kind)
    .where('withdrawn_at', 'is', null)
  query = subjectRef === null ? query.where('subject_ref', 'is', null) : query.where('subject_ref', '=', subjectRef)
  return query.execute()
}

/** Whether the account has an active consent of a kind (without a subject): asked before each use, so a withdrawal counts at once. */
export async function hasActiveConsent(db: Db | Trx, accountId: string, kind: ConsentKind): Promise<boolean> {
  return (await activeConsents(db, accountId, kind, null)).length > 0
}

/** Marks the active consents of one kind (and subject) withdrawn at `at`; how many there were. */
export async function withdrawConsents(
  db: Db | Trx,
  input: { accountId: string; kind: ConsentKind; subjectRef?: string | null; at: Date },
): Promise<number> {
  let query = db
    .updateTable('consents')
    .set({ withdrawn_at: input.at })
    .where('account_id', '=', input.accountId)
    .where('kind', '=', input.kind)
    .where('withdrawn_at', 'is', null)
  if (input.subjectRef !== undefined)
    query =
      input.subjectRef === null
        ? query.where('subject_ref', 'is', null)
        : query.where('subject_ref', '=', input.subjectRef)
  const result = await query.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

const CONSENT_COLUMNS = [
  'id',
  'kind',
  'subject_ref as subjectRef',
  'text_version as textVersion',
  'given_at as givenAt',
  'withdrawn_at as withdrawnAt',
] as const

/** Every consent of an account, given or withdrawn, newest first. */
export function listConsents(db: Db | Trx, accountId: string): Promise<Consent[]> {
  return db
    .selectFrom('consents')
    .select(CONSENT_COLUMNS)
    .where('account_id', '=', accountId)
    .orderBy('given_at', 'desc')
    .orderBy('id')
    .execute()
}

/** One consent of an account, or undefined (someone else's id answers the same as an unknown one). */
export function findConsent(db: Db | Trx, accountId: string, consentId: string): Promise<Consent | undefined> {
  return db
    .selectFrom('consents')
    .select(CONSENT_COLUMNS)
    .where('account_id', '=', accountId)
    .where('id', '=', consentId)
    .executeTakeFirst()
}

/**
 * Whether notices of new postbox messages go out by e-mail: yes unless the person withdrew the consent they gave at
 * registration (the message itself is in the postbox either way). An account without any record counts as agreed,
 * as the registration said so before consents were recorded.
 */
export async function wantsEmailNotices(db: Db | Trx, accountId: string): Promise<boolean> {
  const rows = await db
    .selectFrom('consents')
    .select('withdrawn_at as withdrawnAt')
    .where('account_id', '=', accountId)
    .where('kind', '=', 'email-notices')
    .execute()
  return rows.length === 0 || rows.some(row => row.withdrawnAt === null)
}

/** Forgets an account's consents (erasure); the count for the deletion log. */
export async function eraseConsents(trx: Trx, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('consents').where('account_id', '=', accountId).executeTakeFirst()
  return Number(result.numDeletedRows)
}
