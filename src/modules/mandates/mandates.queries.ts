import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { MandateEndedBy, MandateKind, MandateStatus, MemberRole } from '../../platform/db/schema.js'

export interface MandateRow {
  id: string
  agentAccountId: string | null
  kind: MandateKind
  principalGivenName: string
  principalFamilyName: string
  principalBirthDate: string
  principalEmail: string | null
  principalAccountId: string | null
  principalConfirmedAt: Date | null
  status: MandateStatus
  officeId: string
  proofFileId: string | null
  createdAt: Date
  decidedAt: Date | null
  rejectionReason: string | null
  endedAt: Date | null
  endedBy: MandateEndedBy | null
}

const mandateColumns = [
  'mandates.id',
  'mandates.agent_account_id as agentAccountId',
  'mandates.kind',
  'mandates.principal_given_name as principalGivenName',
  'mandates.principal_family_name as principalFamilyName',
  // A DATE as YYYY-MM-DD on both databases (PGlite would hand back a Date).
  sql<string>`to_char(mandates.principal_birth_date, 'YYYY-MM-DD')`.as('principalBirthDate'),
  'mandates.principal_email as principalEmail',
  'mandates.principal_account_id as principalAccountId',
  'mandates.principal_confirmed_at as principalConfirmedAt',
  'mandates.status',
  'mandates.office_id as officeId',
  'mandates.proof_file_id as proofFileId',
  'mandates.created_at as createdAt',
  'mandates.decided_at as decidedAt',
  'mandates.rejection_reason as rejectionReason',
  'mandates.ended_at as endedAt',
  'mandates.ended_by as endedBy',
] as const

export interface NewMandate {
  id: string
  agentAccountId: string
  kind: MandateKind
  givenName: string
  familyName: string
  birthDate: string
  principalEmail: string | null
  principalTokenHash: string | null
  officeId: string
  proofFileId: string | null
  status?: MandateStatus
}

export async function insertMandate(db: Db, m: NewMandate, now: Date): Promise<void> {
  await db
    .insertInto('mandates')
    .values({
      id: m.id,
      agent_account_id: m.agentAccountId,
      kind: m.kind,
      principal_given_name: m.givenName,
      principal_family_name: m.familyName,
      principal_birth_date: m.birthDate,
      principal_email: m.principalEmail,
      principal_token_hash: m.principalTokenHash,
      office_id: m.officeId,
      proof_file_id: m.proofFileId,
      status: m.status ?? 'pending',
      created_at: now,
    })
    .execute()
}

export function findMandate(db: Db, mandateId: string): Promise<MandateRow | undefined> {
  return db.selectFrom('mandates').select(mandateColumns).where('id', '=', mandateId).executeTakeFirst()
}

export function lockMandate(trx: Trx, mandateId: string): Promise<MandateRow | undefined> {
  return trx.selectFrom('mandates').select(mandateColumns).where('id', '=', mandateId).forUpdate().executeTakeFirst()
}

/** The mandates an account holds as agent and those naming it as the (confirmed) principal, newest first. */
export function listMandatesOfAccount(db: Db, accountId: string): Promise<MandateRow[]> {
  return db
    .selectFrom('mandates')
    .select(mandateColumns)
    .where(eb => eb.or([eb('agent_account_id', '=', accountId), eb('principal_account_id', '=', accountId)]))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(200)
    .execute()
}

export function listPendingMandates(db: Db, officeId: string): Promise<MandateRow[]> {
  return db
    .selectFrom('mandates')
    .select(mandateColumns)
    .where('office_id', '=', officeId)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .orderBy('id')
    .limit(200)
    .execute()
}

export function listActiveMandatesOfOffice(db: Db, officeId: string): Promise<MandateRow[]> {
  return db
    .selectFrom('mandates')
    .select(mandateColumns)
    .where('office_id', '=', officeId)
    .where('status', '=', 'active')
    .orderBy('decided_at', 'desc')
    .orderBy('id')
    .limit(200)
    .execute()
}

export function findMandateByToken(db: Db, tokenHash: string): Promise<MandateRow | undefined> {
  return db
    .selectFrom('mandates')
    .select(mandateColumns)
    .where('principal_token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function setMandateDecision(
  trx: Trx,
  mandateId: string,
  d: { status: 'active' | 'rejected'; staffId: string; reason: string | null; at: Date },
): Promise<void> {
  await trx
    .updateTable('mandates')
    .set({ status: d.status, decided_at: d.at, decided_by_staff_id: d.staffId, rejection_reason: d.reason })
    .where('id', '=', mandateId)
    .execute()
}

export async function endMandate(trx: Trx, mandateId: string, by: MandateEndedBy, at: Date): Promise<void> {
  await trx
    .updateTable('mandates')
    .set({ status: 'revoked', ended_at: at, ended_by: by, principal_token_hash: null })
    .where('id', '=', mandateId)
    .execute()
}

export async function setMandatePrincipal(trx: Trx, mandateId: string, accountId: string, at: Date): Promise<void> {
  await trx
    .updateTable('mandates')
    .set({ principal_account_id: accountId, principal_confirmed_at: at, principal_token_hash: null })
    .where('id', '=', mandateId)
    .execute()
}

/** A proof is kept only while its mandate may still be decided or used (docs/mandates.md, retention). */
export async function detachProof(trx: Trx, mandateId: string): Promise<string | null> {
  const row = await trx.selectFrom('mandates').select('proof_file_id').where('id', '=', mandateId).executeTakeFirst()
  if (!row?.proof_file_id) return null
  await trx.updateTable('mandates').set({ proof_file_id: null }).where('id', '=', mandateId).execute()
  return row.proof_file_id
}

export function findProofFile(db: Db, fileId: string) {
  return db
    .selectFrom('files')
    .select(['id', 'filename', 'media_type as mediaType', 'content'])
    .where('id', '=', fileId)
    .executeTakeFirst()
}

export async function deleteFile(trx: Trx, fileId: string): Promise<void> {
  await trx.deleteFrom('files').where('id', '=', fileId).execute()
}

// Business members

export interface MemberRow {
  id: string
  businessAccountId: string
  memberAccountId: string | null
  role: MemberRole
  invitedEmail: string
  status: 'invited' | 'active' | 'removed'
  invitedAt: Date
  acceptedAt: Date | null
  removedAt: Date | null
}

const memberColumns = [
  'business_members.id',
  'business_members.business_account_id as businessAccountId',
  'business_members.member_account_id as memberAccountId',
  'business_members.role',
  'business_members.invited_email as invitedEmail',
  'business_members.status',
  'business_members.invited_at as invitedAt',
  'business_members.accepted_at as acceptedAt',
  'business_members.removed_at as removedAt',
] as const

export async function insertMember(
  db: Db,
  m: {
    id: string
    businessAccountId: string
    role: MemberRole
    invitedEmail: string
    tokenHash: string | null
    memberAccountId?: string
    status?: 'invited' | 'active'
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('business_members')
    .values({
      id: m.id,
      business_account_id: m.businessAccountId,
      member_account_id: m.memberAccountId ?? null,
      role: m.role,
      invited_email: m.invitedEmail,
      invite_token_hash: m.tokenHash,
      status: m.status ?? 'invited',
      invited_at: now,
      accepted_at: m.status === 'active' ? now : null,
    })
    .execute()
}

export function listMembersOfBusiness(db: Db, businessAccountId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('business_members')
    .select(memberColumns)
    .where('business_account_id', '=', businessAccountId)
    .where('status', '!=', 'removed')
    .orderBy('invited_at')
    .orderBy('id')
    .limit(500)
    .execute()
}

/** The memberships of a person's account, active or waiting for them to accept. */
export function listMembershipsOfAccount(db: Db, accountId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('business_members')
    .select(memberColumns)
    .where('member_account_id', '=', accountId)
    .where('status', '=', 'active')
    .orderBy('accepted_at')
    .execute()
}

export function findMemberByToken(db: Db, tokenHash: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('business_members')
    .select(memberColumns)
    .where('invite_token_hash', '=', tokenHash)
    .where('status', '=', 'invited')
    .executeTakeFirst()
}

export function lockMember(trx: Trx, memberId: string): Promise<MemberRow | undefined> {
  return trx
    .selectFrom('business_members')
    .select(memberColumns)
    .where('id', '=', memberId)
    .forUpdate()
    .executeTakeFirst()
}

export async function activateMember(trx: Trx, memberId: string, accountId: string, at: Date): Promise<void> {
  await trx
    .updateTable('business_members')
    .set({ status: 'active', member_account_id: accountId, accepted_at: at, invite_token_hash: null })
    .where('id', '=', memberId)
    .execute()
}

export async function removeMember(trx: Trx, memberId: string, at: Date): Promise<void> {
  await trx
    .updateTable('business_members')
    .set({ status: 'removed', removed_at: at, invite_token_hash: null })
    .where('id', '=', memberId)
    .execute()
}

export async function isActiveMember(db: Db, businessAccountId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('business_members')
    .select('id')
    .where('business_account_id', '=', businessAccountId)
    .where('member_account_id', '=', accountId)
    .where('status', '=', 'active')
    .executeTakeFirst()
  return !!row
}

/** Whether the person is an active member of any company (the service pages open business services to them). */
export async function isMemberOfACompany(db: Db, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('business_members')
    .select('id')
    .where('member_account_id', '=', accountId)
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst()
  return !!row
}
