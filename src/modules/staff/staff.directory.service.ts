import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffRole } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { deleteRole, insertRole, insertStaff, listRolesOfStaff } from './staff.admin.queries.js'
import { groupsOf, mappedRoles, type StaffDirectory } from './staff.directory.config.js'
import {
  type DirectoryAnswer,
  isRefusedByDirectory,
  openToken,
  refreshIdentity,
  sealToken,
} from './staff.directory.client.js'
import {
  endStaffSessions,
  listMembersToSync,
  lockDirectoryIdentity,
  lockStaffByEmail,
  markDeprovisioned,
  markSynced,
  updateStaffName,
  upsertDirectoryIdentity,
} from './staff.directory.queries.js'

/** A password hash nothing matches: a person the directory created has no local password. */
const NO_PASSWORD = '!'
/** The directory's doing, in the audit log (no staff member acted). */
const BY_DIRECTORY = { by: 'directory' } as const

export type DirectorySignInProblem = 'noAccess' | 'noEmail' | 'breakGlassAccount'

export type DirectorySignIn =
  | { ok: true; staffId: string; created: boolean; directoryMfa: boolean }
  | { ok: false; problem: DirectorySignInProblem }

/**
 * The end of a directory sign-in, in one transaction: finds the person by their directory identity (or their
 * e-mail, once, for staff who had a local account), creates them on their first sign-in, and sets their roles to
 * exactly what the mapping gives for their groups today. No mapped group: nobody is created, an existing person
 * loses every role and every session.
 */
export async function completeDirectorySignIn(
  db: Db,
  directory: StaffDirectory,
  tokenKey: string,
  answer: DirectoryAnswer,
  now: Date,
): Promise<DirectorySignIn> {
  const roles = mappedRoles(directory, groupsOf(answer.claims, directory.claims.groups))
  const email = String(answer.claims[directory.claims.email] ?? '')
    .trim()
    .toLowerCase()
  const name =
    String(answer.claims[directory.claims.name] ?? '')
      .trim()
      .slice(0, 200) || email
  const sealed = answer.refreshToken ? sealToken(tokenKey, answer.refreshToken) : null
  return db.transaction().execute(async (trx): Promise<DirectorySignIn> => {
    const linked = await lockDirectoryIdentity(trx, directory.issuer, answer.subject)
    if (linked) {
      if (roles.length === 0) {
        await deprovision(trx, linked.staffId, 'noGroups', now)
        return { ok: false, problem: 'noAccess' }
      }
      await setRolesFromDirectory(trx, linked.staffId, roles)
      await updateStaffName(trx, linked.staffId, name)
      await upsertDirectoryIdentity(trx, {
        ...answer,
        issuer: directory.issuer,
        staffId: linked.staffId,
        refreshToken: sealed,
        now,
      })
      return { ok: true, staffId: linked.staffId, created: false, directoryMfa: hasDirectoryMfa(directory, answer) }
    }
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 200) return { ok: false, problem: 'noEmail' }
    // Break-glass accounts stay local: the directory never changes the roles of the way in when it is down.
    if (directory.breakGlass.includes(email)) return { ok: false, problem: 'breakGlassAccount' }
    if (roles.length === 0) return { ok: false, problem: 'noAccess' }
    const existing = await lockStaffByEmail(trx, email)
    let staffId = existing?.id
    if (!staffId) {
      staffId = await insertStaff(trx, { id: crypto.randomUUID(), email, name, passwordHash: NO_PASSWORD })
      if (!staffId) throw new Error('staff e-mail taken while it was locked')
      await audit(trx, {
        actor: {},
        action: 'staff.create',
        subjectType: 'staff',
        subjectId: staffId,
        details: { ...BY_DIRECTORY, issuer: directory.issuer },
      })
    }
    await upsertDirectoryIdentity(trx, {
      issuer: directory.issuer,
      subject: answer.subject,
      staffId,
      refreshToken: sealed,
      now,
    })
    await audit(trx, {
      actor: {},
      action: 'staff.directory.link',
      subjectType: 'staff',
      subjectId: staffId,
      details: { ...BY_DIRECTORY, issuer: directory.issuer, existing: !!existing },
    })
    await setRolesFromDirectory(trx, staffId, roles)
    return { ok: true, staffId, created: !existing, directoryMfa: hasDirectoryMfa(directory, answer) }
  })
}

/** Whether the directory says it asked for a second factor itself (amr/acr of the ID token, as configured). */
function hasDirectoryMfa(directory: StaffDirectory, answer: DirectoryAnswer): boolean {
  const amr = Array.isArray(answer.claims.amr) ? answer.claims.amr : []
  const acr = answer.claims.acr
  return (
    amr.some(value => typeof value === 'string' && directory.trustedMfa.amr.includes(value)) ||
    (typeof acr === 'string' && directory.trustedMfa.acr.includes(acr))
  )
}

/** Grants what the mapping gives and revokes what it no longer gives; each change audited as the directory's. */
async function setRolesFromDirectory(trx: Trx, staffId: string, roles: { officeId: string; role: StaffRole }[]) {
  const held = await listRolesOfStaff(trx, staffId)
  const same = (a: { officeId: string; role: string }, b: { officeId: string; role: string }) =>
    a.officeId === b.officeId && a.role === b.role
  for (const r of held.filter(h => !roles.some(m => same(h, m)))) await revokeByDirectory(trx, staffId, r)
  for (const r of roles.filter(m => !held.some(h => same(h, m)))) {
    if (!(await insertRole(trx, staffId, r.officeId, r.role))) continue
    await audit(trx, {
      actor: {},
      action: 'staff.role.grant',
      subjectType: 'staff',
      subjectId: staffId,
      officeId: r.officeId,
      details: { role: r.role, ...BY_DIRECTORY },
    })
  }
}

async function revokeByDirectory(trx: Trx, staffId: string, r: { officeId: string; role: StaffRole }) {
  if (!(await deleteRole(trx, staffId, r.officeId, r.role))) return
  await audit(trx, {
    actor: {},
    action: 'staff.role.revoke',
    subjectType: 'staff',
    subjectId: staffId,
    officeId: r.officeId,
    details: { role: r.role, ...BY_DIRECTORY },
  })
}

/** The directory no longer lets the person in: every role goes, every session ends now, the link is marked. */
async function deprovision(trx: Trx, staffId: string, reason: 'noGroups' | 'disabled', now: Date) {
  for (const r of await listRolesOfStaff(trx, staffId)) await revokeByDirectory(trx, staffId, r)
  const sessions = await endStaffSessions(trx, staffId)
  await markDeprovisioned(trx, staffId, now)
  await audit(trx, {
    actor: {},
    action: 'staff.directory.deprovision',
    subjectType: 'staff',
    subjectId: staffId,
    details: { ...BY_DIRECTORY, reason, sessionsEnded: sessions },
  })
}

export const DIRECTORY_SYNC_JOB = 'staff.directory.sync'
/** Members asked per run; the oldest checks first, so a large city is covered over a few runs. */
const SYNC_BATCH = 500

export interface DirectorySyncReport {
  checked: number
  changed: number
  deprovisioned: number
  /** Members without a usable refresh token: checked at their next sign-in only. */
  unchecked: number
  /** The directory could not be asked (down, slow): nobody is deprovisioned for that. */
  unreachable: number
}

/**
 * The periodic check: asks the directory about every linked member with their refresh token. A new ID token brings
 * today's groups (roles resynced; none mapped: deprovisioned); `invalid_grant` means the directory disabled or
 * deleted the person: deprovisioned, sessions ended at once. A directory that does not answer changes nothing.
 */
export async function syncDirectoryMembers(
  db: Db,
  directory: StaffDirectory,
  tokenKey: string,
  now: () => Date,
  log: { warn(obj: object, msg: string): void },
): Promise<DirectorySyncReport> {
  const report: DirectorySyncReport = { checked: 0, changed: 0, deprovisioned: 0, unchecked: 0, unreachable: 0 }
  for (const member of await listMembersToSync(db, directory.issuer, SYNC_BATCH)) {
    const token = member.refreshToken ? openToken(tokenKey, member.refreshToken) : undefined
    if (!token) {
      report.unchecked++
      continue
    }
    let answer: DirectoryAnswer | undefined
    try {
      answer = await refreshIdentity(directory, token)
    } catch (error) {
      if (!isRefusedByDirectory(error)) {
        report.unreachable++
        log.warn({ staffId: member.staffId, err: error }, 'staff directory could not be asked about a member')
        continue
      }
    }
    report.checked++
    await db.transaction().execute(async trx => {
      const linked = await lockDirectoryIdentity(trx, directory.issuer, member.subject)
      if (!linked || linked.deprovisionedAt) return
      const roles = answer ? mappedRoles(directory, groupsOf(answer.claims, directory.claims.groups)) : []
      if (!answer || answer.subject !== member.subject || roles.length === 0) {
        await deprovision(trx, member.staffId, answer ? 'noGroups' : 'disabled', now())
        report.deprovisioned++
        return
      }
      const before = await listRolesOfStaff(trx, member.staffId)
      await setRolesFromDirectory(trx, member.staffId, roles)
      const after = await listRolesOfStaff(trx, member.staffId)
      if (
        before.length !== after.length ||
        before.some(b => !after.some(a => a.officeId === b.officeId && a.role === b.role))
      )
        report.changed++
      await markSynced(
        trx,
        member.staffId,
        answer.refreshToken ? sealToken(tokenKey, answer.refreshToken) : null,
        now(),
      )
    })
  }
  return report
}
