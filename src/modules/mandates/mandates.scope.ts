import type { ExpressionBuilder, Expression, SqlBool } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import type { Database } from '../../platform/db/schema.js'

/** Stands in for an empty list in `in (…)`, which SQL does not allow; no row has it. */
const NO_ID = '00000000-0000-0000-0000-000000000000'

/**
 * Whose cases an account may see, read fresh on every request so that a revoked mandate or a removed member stops
 * access at once: its own, those made under its active mandates, those made for it (as a confirmed principal), and
 * those of the companies it is a member of (an owner all of them, a clerk those the clerk made).
 */
export interface CaseScope {
  accountId: string
  /** Mandates the account holds as agent that are active now. */
  agentMandateIds: string[]
  /** Mandates naming the account as their confirmed principal, whatever their state: the cases are about them. */
  principalMandateIds: string[]
  ownerOf: string[]
  clerkOf: string[]
}

export async function caseScopeOf(db: Db, accountId: string): Promise<CaseScope> {
  const [mandates, members] = await Promise.all([
    db
      .selectFrom('mandates')
      .select(['id', 'agent_account_id as agent', 'principal_account_id as principal', 'status'])
      .where(eb => eb.or([eb('agent_account_id', '=', accountId), eb('principal_account_id', '=', accountId)]))
      .execute(),
    db
      .selectFrom('business_members')
      .select(['business_account_id as businessId', 'role'])
      .where('member_account_id', '=', accountId)
      .where('status', '=', 'active')
      .execute(),
  ])
  return {
    accountId,
    agentMandateIds: mandates.filter(m => m.agent === accountId && m.status === 'active').map(m => m.id),
    principalMandateIds: mandates.filter(m => m.principal === accountId).map(m => m.id),
    ownerOf: members.filter(m => m.role === 'owner').map(m => m.businessId),
    clerkOf: members.filter(m => m.role === 'clerk').map(m => m.businessId),
  }
}

const idsOrNone = (ids: string[]) => (ids.length ? ids : [NO_ID])

/**
 * The one rule for "may this account see this case" as a condition on the `cases` table; every citizen-side route
 * (case view, files, messages, replies, fee notices, payments) filters with it.
 */
export function caseVisibleTo(eb: ExpressionBuilder<Database, 'cases'>, scope: CaseScope): Expression<SqlBool> {
  return eb.or([
    // Its own, made neither under a mandate nor for a company.
    eb.and([
      eb('cases.account_id', '=', scope.accountId),
      eb('cases.mandate_id', 'is', null),
      eb('cases.business_account_id', 'is', null),
    ]),
    eb('cases.mandate_id', 'in', idsOrNone([...scope.agentMandateIds, ...scope.principalMandateIds])),
    // The company's own account sees every case made for it.
    eb('cases.business_account_id', '=', scope.accountId),
    eb('cases.business_account_id', 'in', idsOrNone(scope.ownerOf)),
    eb.and([
      eb('cases.business_account_id', 'in', idsOrNone(scope.clerkOf)),
      eb('cases.account_id', '=', scope.accountId),
    ]),
  ])
}
