import type { Db } from '../../platform/db/database.js'
import type { SessionAccount } from '../../platform/auth/sessions.js'
import type { MandateKind, MemberRole, RepresentedRelation } from '../../platform/db/schema.js'
import { accountProfileFor, type AccountProfile } from '../accounts/index.js'
import { MandateNotFound, MembershipNotFound } from './mandates.errors.js'
import { findMandate, listMandatesOfAccount, listMembershipsOfAccount } from './mandates.queries.js'
import { personName, principalNameOf } from './mandates.service.js'

/** Someone the signed-in person may apply for, besides themselves: a principal under an active mandate, or a company. */
export type OnBehalfOption =
  | { type: 'mandate'; id: string; name: string; kind: MandateKind; birthDate: string }
  | { type: 'business'; id: string; name: string; role: MemberRole }

/** Whom the person may apply for now; empty when only for themselves (then nobody is asked). */
export async function onBehalfOptionsOf(db: Db, account: SessionAccount): Promise<OnBehalfOption[]> {
  if (account.kind !== 'citizen') return []
  const [mandates, memberships] = await Promise.all([
    listMandatesOfAccount(db, account.id),
    listMembershipsOfAccount(db, account.id),
  ])
  const options: OnBehalfOption[] = mandates
    .filter(m => m.agentAccountId === account.id && m.status === 'active')
    .map(m => ({ type: 'mandate', id: m.id, name: principalNameOf(m), kind: m.kind, birthDate: m.principalBirthDate }))
  for (const m of memberships)
    options.push({
      type: 'business',
      id: m.businessAccountId,
      name: personName(await accountProfileFor(db, m.businessAccountId)),
      role: m.role,
    })
  return options
}

/** For whom an application is made, as the case records it, and what the form may be prefilled with. */
export interface Representation {
  mandateId: string | null
  businessAccountId: string | null
  representedName: string
  /** The name of the person who acts, as the case shows it ("Gestellt von … für …"). */
  actedByName: string
  relation: RepresentedRelation
  /** The kind of account the application is for: a service for businesses only takes one made for a company. */
  audience: 'citizen' | 'business'
  /** Once-only prefill: what the mandate holds (name, birth date), or the company's own profile. */
  profile: AccountProfile
}

/**
 * Checks, at every step, that the person may still act for whom the draft is for: an active mandate they hold, or
 * an active membership. Anything else answers 404, so a revoked mandate stops a draft as it stops a case.
 */
export async function representationFor(
  db: Db,
  agent: { id: string },
  choice: { mandateId: string | null; businessAccountId: string | null },
): Promise<Representation | null> {
  if (choice.mandateId) {
    const mandate = await findMandate(db, choice.mandateId)
    if (!mandate || mandate.agentAccountId !== agent.id || mandate.status !== 'active') throw new MandateNotFound()
    const own = await accountProfileFor(db, agent.id)
    return {
      mandateId: mandate.id,
      businessAccountId: null,
      representedName: principalNameOf(mandate),
      actedByName: personName(own),
      relation: mandate.kind,
      audience: 'citizen',
      // Only what the mandate holds about the principal; the agent's own address and phone are not the principal's.
      profile: {
        ...own,
        givenName: mandate.principalGivenName,
        familyName: mandate.principalFamilyName,
        birthDate: mandate.principalBirthDate,
        companyName: null,
        street: null,
        houseNumber: null,
        postalCode: null,
        city: null,
        phone: null,
      },
    }
  }
  if (choice.businessAccountId) {
    const memberships = await listMembershipsOfAccount(db, agent.id)
    const membership = memberships.find(m => m.businessAccountId === choice.businessAccountId)
    if (!membership) throw new MembershipNotFound()
    const company = await accountProfileFor(db, membership.businessAccountId)
    return {
      mandateId: null,
      businessAccountId: company.id,
      representedName: personName(company),
      actedByName: personName(await accountProfileFor(db, agent.id)),
      relation: membership.role,
      audience: 'business',
      profile: company,
    }
  }
  return null
}
