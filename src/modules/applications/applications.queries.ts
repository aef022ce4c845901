import type { Db, Trx } from '../../platform/db/database.js'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'

export interface NewDraftRow {
  id: string
  serviceId: string
  serviceVersion: number
  sessionHash?: string | null
  accountId?: string | null
  filedByStaffId?: string | null
  answers: Record<string, unknown>
  mandateId?: string | null
  businessAccountId?: string | null
}

export async function insertDraft(db: Db, d: NewDraftRow): Promise<void> {
  await db
    .insertInto('drafts')
    .values({
      id: d.id,
      service_id: d.serviceId,
      service_version: d.serviceVersion,
      session_hash: d.sessionHash ?? null,
      account_id: d.accountId ?? null,
      filed_by_staff_id: d.filedByStaffId ?? null,
      answers: JSON.stringify(d.answers),
      mandate_id: d.mandateId ?? null,
      business_account_id: d.businessAccountId ?? null,
    })
    .execute()
}

export function findDraftRow(db: Db, draftId: string) {
  return db.selectFrom('drafts').selectAll().where('id', '=', draftId).executeTakeFirst()
}
export type DraftRow = NonNullable<Awaited<ReturnType<typeof findDraftRow>>>

/** Holds the draft until the transaction ends, so a double click submits or pays for it once. */
export function lockDraft(trx: Trx, draftId: string) {
  return trx
    .selectFrom('drafts')
    .select(['id', 'case_id', 'assurance', 'identity_provider'])
    .where('id', '=', draftId)
    .forUpdate()
    .executeTakeFirst()
}

/** Notes how its owner was signed in when they sent the draft, for a case opened later (a payment confirmed). */
export async function recordDraftIdentification(
  db: Db,
  draftId: string,
  who: { assurance: AssuranceLevel | null; identityProvider: string | null },
): Promise<void> {
  await db
    .updateTable('drafts')
    .set({ assurance: who.assurance, identity_provider: who.identityProvider })
    .where('id', '=', draftId)
    .where('case_id', 'is', null)
    .execute()
}

/** Saves a draft's answers; a submitted draft is no longer changed. */
export async function updateDraftAnswers(db: Db, draftId: string, answers: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('drafts')
    .set({ answers: JSON.stringify(answers), updated_at: new Date() })
    .where('id', '=', draftId)
    .where('case_id', 'is', null)
    .execute()
}

/** A submitted draft keeps no answers of its own any more: they are the case's. */
export async function markDraftSubmitted(trx: Trx, draftId: string, caseId: string): Promise<void> {
  await trx
    .updateTable('drafts')
    .set({ case_id: caseId, answers: '{}', updated_at: new Date() })
    .where('id', '=', draftId)
    .execute()
}

export function listDraftsOfAccount(db: Db, accountId: string) {
  return db
    .selectFrom('drafts')
    .select(['id', 'service_id as serviceId', 'updated_at as updatedAt'])
    .where('account_id', '=', accountId)
    .where('case_id', 'is', null)
    .where('filed_by_staff_id', 'is', null)
    .orderBy('updated_at', 'desc')
    .execute()
}

/** Claims an Idempotency-Key for a new draft; undefined when another request holds it already. */
export function claimSubmissionKey(
  trx: Trx,
  k: { idempotencyKey: string; serviceId: string; requestSha256: string; draftId: string },
) {
  // A concurrent request with the same key waits here on the key's unique index until the first commits or rolls back.
  return trx
    .insertInto('submission_keys')
    .values({
      idempotency_key: k.idempotencyKey,
      service_id: k.serviceId,
      request_sha256: k.requestSha256,
      draft_id: k.draftId,
    })
    .onConflict(oc => oc.column('idempotency_key').doNothing())
    .returning('draft_id')
    .executeTakeFirst()
}

/** The submission that first used a key, and the case it opened (none while it is still being made). */
export function findSubmissionByKey(trx: Trx, idempotencyKey: string) {
  return trx
    .selectFrom('submission_keys')
    .leftJoin('cases', 'cases.draft_id', 'submission_keys.draft_id')
    .select([
      'submission_keys.service_id as serviceId',
      'submission_keys.request_sha256 as sha256',
      'cases.id as caseId',
      'cases.reference',
    ])
    .where('submission_keys.idempotency_key', '=', idempotencyKey)
    .executeTakeFirstOrThrow()
}

export async function deleteSubmissionKeysBefore(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('submission_keys').where('created_at', '<', before).executeTakeFirst()
  return Number(result.numDeletedRows)
}
