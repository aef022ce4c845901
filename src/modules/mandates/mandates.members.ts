import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { MemberRole } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { queueMail } from '../../platform/mail/mail.js'
import { isLocale, translator } from '../../platform/i18n/i18n.js'
import type { SessionAccount } from '../../platform/auth/sessions.js'
import { accountProfileFor } from '../accounts/index.js'
import { DomainError } from '../../platform/http/errors.js'
import { LinkForAnotherAddress, MembershipNotFound, NotAnOwner } from './mandates.errors.js'
import {
  activateMember,
  findMemberByToken,
  insertMember,
  isActiveMember,
  listMembersOfBusiness,
  lockMember,
  removeMember,
  type MemberRow,
} from './mandates.queries.js'
import { hashToken, isWellFormedToken, personName, sameAddress } from './mandates.service.js'

export const MEMBER_ROLES: readonly MemberRole[] = ['owner', 'clerk']

/** How the account stands to a company: the company itself, an active owner or clerk, or nothing. */
export async function standingIn(
  db: Db,
  account: SessionAccount,
  businessId: string,
): Promise<'company' | MemberRole | undefined> {
  if (account.kind === 'business' && account.id === businessId) return 'company'
  const members = await listMembersOfBusiness(db, businessId)
  return members.find(m => m.memberAccountId === account.id && m.status === 'active')?.role
}

/**
 * Who manages a company's members: the company's own account, and its owners. A clerk is refused (403); an
 * outsider or a removed member gets 404, so ids reveal nothing.
 */
export async function assertManagesBusiness(db: Db, account: SessionAccount, businessId: string): Promise<void> {
  const standing = await standingIn(db, account, businessId)
  if (!standing) throw new MembershipNotFound()
  if (standing === 'clerk') throw new NotAnOwner()
}

/** The company's name as its account holds it; only for accounts that are a company. */
export async function businessNameOf(db: Db, businessId: string): Promise<string> {
  // A missing account answers 404 from accountProfileFor itself.
  const profile = await accountProfileFor(db, businessId)
  if (profile.kind !== 'business') throw new MembershipNotFound()
  return personName(profile)
}

/** An owner (or the company itself) invites a person by e-mail; the link lets them accept with their own account. */
export async function inviteMember(
  db: Db,
  deps: { baseUrl: string; now: Date },
  inviter: SessionAccount,
  businessId: string,
  invite: { email: string; role: MemberRole },
): Promise<string> {
  await assertManagesBusiness(db, inviter, businessId)
  return db.transaction().execute(async trx => {
    const id = crypto.randomUUID()
    const token = crypto.randomBytes(32).toString('base64url')
    await insertMember(
      trx,
      { id, businessAccountId: businessId, role: invite.role, invitedEmail: invite.email, tokenHash: hashToken(token) },
      deps.now,
    )
    await audit(trx, {
      actor: { accountId: inviter.id },
      action: 'business.member.invite',
      subjectType: 'business_member',
      subjectId: id,
      details: { businessId, role: invite.role },
    })
    const company = await accountProfileFor(trx, businessId)
    const t = translator(isLocale(company.locale) ? company.locale : 'de')
    await queueMail(trx, {
      to: invite.email,
      subject: t.text('mandates.mail.invite.subject', { company: personName(company) }),
      text: t.text('mandates.mail.invite.body', {
        company: personName(company),
        role: t.text(`mandates.role.${invite.role}`),
        link: `${deps.baseUrl}/account/business/invitations/${token}`,
      }),
    })
    return id
  })
}

/** The invitation a link is for, while it is open. */
export async function findInvitation(db: Db, token: unknown): Promise<MemberRow | undefined> {
  if (!isWellFormedToken(token)) return undefined
  return findMemberByToken(db, hashToken(token))
}

export class AlreadyMember extends DomainError {
  constructor() {
    super(409, 'mandates.errors.alreadyMember')
  }
}

export class MembersArePeople extends DomainError {
  constructor() {
    super(403, 'mandates.errors.membersArePeople')
  }
}

/** The invitee accepts with the person's account they are signed in with; from now on they act for the company. */
export async function acceptInvitation(db: Db, account: SessionAccount, token: unknown, now: Date): Promise<MemberRow> {
  if (account.kind !== 'citizen') throw new MembersArePeople()
  return db.transaction().execute(async trx => {
    const found = await findInvitation(trx, token)
    const member = found ? await lockMember(trx, found.id) : undefined
    if (member?.status !== 'invited') throw new MembershipNotFound()
    if (!sameAddress(member.invitedEmail, account.email)) throw new LinkForAnotherAddress()
    if (await isActiveMember(trx, member.businessAccountId, account.id)) throw new AlreadyMember()
    await activateMember(trx, member.id, account.id, now)
    await audit(trx, {
      actor: { accountId: account.id },
      action: 'business.member.accept',
      subjectType: 'business_member',
      subjectId: member.id,
      details: { businessId: member.businessAccountId, role: member.role },
    })
    return member
  })
}

/**
 * Removes a member or withdraws an invitation: by the company or an owner, or a member leaving. Access to the
 * company's cases ends with the next request.
 */
export async function removeMembership(
  db: Db,
  actor: SessionAccount,
  businessId: string,
  memberId: string,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const member = await lockMember(trx, memberId)
    if (!member || member.businessAccountId !== businessId || member.status === 'removed')
      throw new MembershipNotFound()
    const leaving = member.memberAccountId === actor.id
    if (!leaving) await assertManagesBusiness(trx, actor, businessId)
    await removeMember(trx, memberId, now)
    await audit(trx, {
      actor: { accountId: actor.id },
      action: 'business.member.remove',
      subjectType: 'business_member',
      subjectId: memberId,
      details: { businessId, leaving },
    })
  })
}
