import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'

/**
 * Mandates (as agent and as principal) and company memberships. Erasure ends every mandate of the account at once
 * and deletes their proofs; the ended mandate stays without the erased account, so the other side's cases still say
 * for whom they were made. Memberships of the account are deleted.
 */
export const mandatesHolder: PersonalDataHolder = {
  id: 'mandates',
  async exportFor(db: Db, accountId: string) {
    const mandates = await db
      .selectFrom('mandates')
      .select([
        'id',
        sql<string>`case when agent_account_id = ${accountId} then 'agent' else 'principal' end`.as('youAre'),
        'kind',
        'principal_given_name as principalGivenName',
        'principal_family_name as principalFamilyName',
        sql<string>`to_char(principal_birth_date, 'YYYY-MM-DD')`.as('principalBirthDate'),
        'principal_email as principalEmail',
        'status',
        'created_at as createdAt',
        'decided_at as decidedAt',
        'rejection_reason as rejectionReason',
        'ended_at as endedAt',
        'ended_by as endedBy',
      ])
      .where(eb => eb.or([eb('agent_account_id', '=', accountId), eb('principal_account_id', '=', accountId)]))
      .orderBy('created_at')
      .execute()
    const memberships = await db
      .selectFrom('business_members')
      .select([
        'id',
        'business_account_id as businessAccountId',
        'member_account_id as memberAccountId',
        'role',
        'invited_email as invitedEmail',
        'status',
        'invited_at as invitedAt',
        'accepted_at as acceptedAt',
        'removed_at as removedAt',
      ])
      .where(eb => eb.or([eb('member_account_id', '=', accountId), eb('business_account_id', '=', accountId)]))
      .orderBy('invited_at')
      .execute()
    return { data: { mandates, memberships } }
  },
  async eraseFor(trx: Trx, accountId: string) {
    const now = new Date()
    const proofs = await trx
      .selectFrom('mandates')
      .select('proof_file_id')
      .where(eb => eb.or([eb('agent_account_id', '=', accountId), eb('principal_account_id', '=', accountId)]))
      .where('proof_file_id', 'is not', null)
      .execute()
    const ended = await trx
      .updateTable('mandates')
      .set({ status: 'revoked', ended_at: now, ended_by: 'erasure', principal_token_hash: null })
      .where(eb => eb.or([eb('agent_account_id', '=', accountId), eb('principal_account_id', '=', accountId)]))
      .where('status', 'in', ['pending', 'active'])
      .executeTakeFirst()
    await trx
      .updateTable('mandates')
      .set({ proof_file_id: null })
      .where(eb => eb.or([eb('agent_account_id', '=', accountId), eb('principal_account_id', '=', accountId)]))
      .execute()
    const proofIds = proofs.map(p => p.proof_file_id).filter((id): id is string => !!id)
    if (proofIds.length) await trx.deleteFrom('files').where('id', 'in', proofIds).execute()
    await trx
      .updateTable('mandates')
      .set({ agent_account_id: null })
      .where('agent_account_id', '=', accountId)
      .execute()
    await trx
      .updateTable('mandates')
      .set({ principal_account_id: null, principal_email: null })
      .where('principal_account_id', '=', accountId)
      .execute()
    const members = await trx
      .deleteFrom('business_members')
      .where(eb => eb.or([eb('member_account_id', '=', accountId), eb('business_account_id', '=', accountId)]))
      .executeTakeFirst()
    return [
      { subjectType: 'mandate', outcome: 'anonymised', count: Number(ended.numUpdatedRows) },
      { subjectType: 'mandate-proof', outcome: 'deleted', count: proofIds.length },
      { subjectType: 'business-member', outcome: 'deleted', count: Number(members.numDeletedRows) },
    ]
  },
}
