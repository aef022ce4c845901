import type { Db } from '../../platform/db/database.js'

export function findTotp(db: Db, staffId: string) {
  return db
    .selectFrom('staff_totp')
    .select(['secret', 'confirmed_at as confirmedAt', 'last_time_step as lastTimeStep'])
    .where('staff_id', '=', staffId)
    .executeTakeFirst()
}

/** A new, unconfirmed secret; an unconfirmed one from an earlier visit is replaced. */
export async function startTotp(db: Db, staffId: string, secret: string) {
  await db.deleteFrom('staff_totp').where('staff_id', '=', staffId).where('confirmed_at', 'is', null).execute()
  await db
    .insertInto('staff_totp')
    .values({ staff_id: staffId, secret })
    .onConflict(oc => oc.doNothing())
    .execute()
}

/** Moves the last accepted step forward, only if no other request used this or a later step meanwhile. */
export async function claimTimeStep(db: Db, staffId: string, timeStep: number, confirmedAt?: Date): Promise<boolean> {
  const updated = await db
    .updateTable('staff_totp')
    .set(confirmedAt ? { last_time_step: timeStep, confirmed_at: confirmedAt } : { last_time_step: timeStep })
    .where('staff_id', '=', staffId)
    .where('last_time_step', '<', timeStep)
    .executeTakeFirst()
  return updated.numUpdatedRows > 0n
}

export function deleteTotp(db: Db, staffId: string) {
  return db.deleteFrom('staff_totp').where('staff_id', '=', staffId).executeTakeFirst()
}

export async function replaceRecoveryCodes(db: Db, staffId: string, codeHashes: string[]) {
  await db.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute()
  await db
    .insertInto('staff_recovery_codes')
    .values(codeHashes.map(code_hash => ({ code_hash, staff_id: staffId })))
    .execute()
}

/** Marks an unused code as used; false when it is unknown, another person's or used already. */
export async function useRecoveryCode(db: Db, staffId: string, codeHash: string, now: Date): Promise<boolean> {
  const updated = await db
    .updateTable('staff_recovery_codes')
    .set({ used_at: now })
    .where('code_hash', '=', codeHash)
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return updated.numUpdatedRows > 0n
}

export async function countUnusedRecoveryCodes(db: Db, staffId: string): Promise<number> {
  const row = await db
    .selectFrom('staff_recovery_codes')
    .select(eb => eb.fn.countAll<string>().as('count'))
    .where('staff_id', '=', staffId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

export function deleteRecoveryCodes(db: Db, staffId: string) {
  return db.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute()
}

export function listPasskeys(db: Db, staffId: string) {
  return db
    .selectFrom('staff_passkeys')
    .select([
      'credential_id as credentialId',
      'public_key as publicKey',
      'sign_count as signCount',
      'transports',
      'name',
      'created_at as createdAt',
      'last_used_at as lastUsedAt',
    ])
    .where('staff_id', '=', staffId)
    .orderBy('created_at')
    .execute()
}

export function insertPasskey(
  db: Db,
  passkey: {
    credentialId: string
    staffId: string
    publicKey: Uint8Array
    signCount: number
    transports: string
    name: string
  },
) {
  return db
    .insertInto('staff_passkeys')
    .values({
      credential_id: passkey.credentialId,
      staff_id: passkey.staffId,
      public_key: passkey.publicKey,
      sign_count: passkey.signCount,
      transports: passkey.transports,
      name: passkey.name,
    })
    .onConflict(oc => oc.doNothing())
    .returning('credential_id')
    .executeTakeFirst()
}

export function recordPasskeyUse(db: Db, credentialId: string, signCount: number, now: Date) {
  return db
    .updateTable('staff_passkeys')
    .set({ sign_count: signCount, last_used_at: now })
    .where('credential_id', '=', credentialId)
    .execute()
}

export function deletePasskey(db: Db, staffId: string, credentialId: string) {
  return db
    .deleteFrom('staff_passkeys')
    .where('staff_id', '=', staffId)
    .where('credential_id', '=', credentialId)
    .executeTakeFirst()
}

export function insertPendingSignIn(db: Db, sessionHash: string, staffId: string, returnTo: string | null, now: Date) {
  return db
    .insertInto('staff_pending_sign_ins')
    .values({ session_hash: sessionHash, staff_id: staffId, return_to: returnTo, started_at: now })
    .onConflict(oc =>
      oc
        .column('session_hash')
        .doUpdateSet({ staff_id: staffId, return_to: returnTo, started_at: now, failed_attempts: 0 }),
    )
    .execute()
}

export function findPendingSignIn(db: Db, sessionHash: string) {
  return db
    .selectFrom('staff_pending_sign_ins')
    .innerJoin('staff', 'staff.id', 'staff_pending_sign_ins.staff_id')
    .select([
      'staff.id as staffId',
      'staff.email',
      'staff.name',
      'staff_pending_sign_ins.return_to as returnTo',
      'staff_pending_sign_ins.failed_attempts as failedAttempts',
      'staff_pending_sign_ins.started_at as startedAt',
    ])
    .where('session_hash', '=', sessionHash)
    .executeTakeFirst()
}

export function countFailedAttempt(db: Db, sessionHash: string) {
  return db
    .updateTable('staff_pending_sign_ins')
    .set(eb => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('session_hash', '=', sessionHash)
    .returning('failed_attempts as failedAttempts')
    .executeTakeFirst()
}

export function deletePendingSignIn(db: Db, sessionHash: string) {
  return db.deleteFrom('staff_pending_sign_ins').where('session_hash', '=', sessionHash).execute()
}

export function saveChallenge(
  db: Db,
  sessionHash: string,
  purpose: 'register' | 'authenticate',
  challenge: string,
  now: Date,
) {
  return db
    .insertInto('staff_webauthn_challenges')
    .values({ session_hash: sessionHash, purpose, challenge, created_at: now })
    .onConflict(oc => oc.columns(['session_hash', 'purpose']).doUpdateSet({ challenge, created_at: now }))
    .execute()
}

/** The session's challenge of this purpose, deleted as it is read: each ceremony answers it once. */
export function takeChallenge(db: Db, sessionHash: string, purpose: 'register' | 'authenticate') {
  return db
    .deleteFrom('staff_webauthn_challenges')
    .where('session_hash', '=', sessionHash)
    .where('purpose', '=', purpose)
    .returning(['challenge', 'created_at as createdAt'])
    .executeTakeFirst()
}

export async function rolesOf(db: Db, staffId: string) {
  const rows = await db.selectFrom('staff_roles').select('role').where('staff_id', '=', staffId).execute()
  return rows.map(row => row.role)
}

/** Every factor of a person, for an administrator's reset: at the next sign-in they set one up again. */
export async function deleteSecondFactors(db: Db, staffId: string): Promise<number> {
  const app = await db
    .deleteFrom('staff_totp')
    .where('staff_id', '=', staffId)
    .where('confirmed_at', 'is not', null)
    .executeTakeFirst()
  const passkeys = await db.deleteFrom('staff_passkeys').where('staff_id', '=', staffId).executeTakeFirst()
  await db.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute()
  return Number(app.numDeletedRows) + Number(passkeys.numDeletedRows)
}
