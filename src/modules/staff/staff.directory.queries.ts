import type { Db, Trx } from '../../platform/db/database.js'
import { announceSessionEnded } from '../../platform/live/index.js'

export function insertDirectorySignIn(
  db: Db,
  row: {
    stateHash: string
    sessionHash: string
    codeVerifier: string
    nonce: string
    returnTo: string | null
    now: Date
  },
) {
  return db
    .insertInto('staff_directory_sign_ins')
    .values({
      state_hash: row.stateHash,
      session_hash: row.sessionHash,
      code_verifier: row.codeVerifier,
      nonce: row.nonce,
      return_to: row.returnTo,
      started_at: row.now,
    })
    .execute()
}

/** Takes the sign-in out of the table as it is read: a state answers once, a replay finds nothing. */
export function takeDirectorySignIn(db: Db, stateHash: string) {
  return db
    .deleteFrom('staff_directory_sign_ins')
    .where('state_hash', '=', stateHash)
    .returning([
      'session_hash as sessionHash',
      'code_verifier as codeVerifier',
      'nonce',
      'return_to as returnTo',
      'started_at as startedAt',
    ])
    .executeTakeFirst()
}

export async function forgetDirectorySignIns(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('staff_directory_sign_ins').where('started_at', '<', before).execute()
}

export function lockDirectoryIdentity(trx: Trx, issuer: string, subject: string) {
  return trx
    .selectFrom('staff_directory_identities')
    .select(['staff_id as staffId', 'deprovisioned_at as deprovisionedAt'])
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .forUpdate()
    .executeTakeFirst()
}

export function findDirectoryIdentityOfStaff(db: Db, staffId: string) {
  return db
    .selectFrom('staff_directory_identities')
    .select(['issuer', 'subject', 'last_synced_at as lastSyncedAt', 'deprovisioned_at as deprovisionedAt'])
    .where('staff_id', '=', staffId)
    .executeTakeFirst()
}

export function lockStaffByEmail(trx: Trx, email: string) {
  return trx.selectFrom('staff').select(['id', 'email']).where('email', '=', email).forUpdate().executeTakeFirst()
}

export async function upsertDirectoryIdentity(
  trx: Trx,
  row: { issuer: string; subject: string; staffId: string; refreshToken: string | null; now: Date },
) {
  await trx
    .insertInto('staff_directory_identities')
    .values({
      issuer: row.issuer,
      subject: row.subject,
      staff_id: row.staffId,
      refresh_token: row.refreshToken,
      linked_at: row.now,
      last_synced_at: row.now,
      deprovisioned_at: null,
    })
    .onConflict(oc =>
      oc.columns(['issuer', 'subject']).doUpdateSet({
        refresh_token: row.refreshToken,
        last_synced_at: row.now,
        deprovisioned_at: null,
      }),
    )
    .execute()
}

export async function markSynced(trx: Trx, staffId: string, refreshToken: string | null, now: Date) {
  await trx
    .updateTable('staff_directory_identities')
    .set({ refresh_token: refreshToken, last_synced_at: now })
    .where('staff_id', '=', staffId)
    .execute()
}

export async function markDeprovisioned(trx: Trx, staffId: string, now: Date) {
  await trx
    .updateTable('staff_directory_identities')
    .set({ refresh_token: null, last_synced_at: now, deprovisioned_at: now })
    .where('staff_id', '=', staffId)
    .execute()
}

/** Members the periodic check asks the directory about: linked, not deprovisioned, longest unchecked first. */
export function listMembersToSync(db: Db, issuer: string, limit: number) {
  return db
    .selectFrom('staff_directory_identities')
    .select(['staff_id as staffId', 'subject', 'refresh_token as refreshToken'])
    .where('issuer', '=', issuer)
    .where('deprovisioned_at', 'is', null)
    .orderBy('last_synced_at')
    .limit(limit)
    .execute()
}

/** Directory links of these people, for the staff administration. */
export function listDirectoryLinks(db: Db, staffIds: string[]) {
  if (staffIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('staff_directory_identities')
    .select(['staff_id as staffId', 'last_synced_at as lastSyncedAt', 'deprovisioned_at as deprovisionedAt'])
    .where('staff_id', 'in', staffIds)
    .execute()
}

/** Ends every session of the person at once (and their half sign-ins); their open pages notice within seconds. */
export async function endStaffSessions(trx: Trx, staffId: string): Promise<number> {
  const ended = await trx.deleteFrom('sessions').where('staff_id', '=', staffId).returning('id_hash').execute()
  for (const s of ended) await announceSessionEnded(trx, s.id_hash)
  await trx.deleteFrom('staff_pending_sign_ins').where('staff_id', '=', staffId).execute()
  return ended.length
}

export async function updateStaffName(trx: Trx, staffId: string, name: string) {
  await trx.updateTable('staff').set({ name }).where('id', '=', staffId).where('name', '<>', name).execute()
}
