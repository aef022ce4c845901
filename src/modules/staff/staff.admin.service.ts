import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { StaffRole } from '../../platform/db/schema.js'
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../platform/auth/password.js'
import { findWeakness, passwordAdvice } from '../../platform/auth/password-strength.js'
import { audit } from '../../platform/audit/audit.js'
import { deleteSecondFactors } from './staff.second-factor.queries.js'
import { AUDIT_PAGE_SIZE, listAuditPage, type AuditRow } from '../../platform/audit/audit.queries.js'
import type { FieldError } from '../../platform/views/components.js'
import type { Locale, TranslateParams } from '../../platform/i18n/i18n.js'
import {
  deleteRole,
  findOpenRoleRequest,
  findStaffIdByEmail,
  insertRole,
  insertRoleRequest,
  insertStaff,
  listOfficeStaffRoles,
  listOpenRoleRequests,
  listRolesOfStaff,
  lockOpenRoleRequest,
  lockStaff,
  setRoleRequestOutcome,
  type RoleRequestRow,
} from './staff.admin.queries.js'
import { isUuid } from '../../platform/http/ids.js'
import { BadRequest } from '../../platform/http/errors.js'
import {
  LastAdminRole,
  OwnSecondFactor,
  OfficeNotAdministered,
  RoleNotGrantable,
  RoleRequestNotOpen,
  SecondAdminRequired,
  StaffEmailTaken,
  StaffNotFound,
  RolesFromDirectory,
  UnknownOffice,
} from './staff.errors.js'
import { findDirectoryIdentityOfStaff, listDirectoryLinks } from './staff.directory.queries.js'

export const STAFF_ROLES: readonly StaffRole[] = [
  'caseworker',
  'team_lead',
  'office_admin',
  'platform_admin',
  'treasury',
  'counter',
  'triage',
]
/**
 * Roles that reach beyond their office (every office's staff or payments, applications for every office, routing for
 * every office): only a platform admin hands them out.
 */
const CROSS_OFFICE_ROLES: readonly StaffRole[] = ['platform_admin', 'treasury', 'counter', 'triage']
/** Roles that open the administration; both are held in an office, a platform admin's reach is all offices. */
export const ADMIN_ROLES: readonly StaffRole[] = ['office_admin', 'platform_admin']
export const NAME_MAX = 200
export const EMAIL_MAX = 200

export function isPlatformAdmin(staff: StaffMember): boolean {
  return staff.roles.some(r => r.role === 'platform_admin')
}

export function isAdministrator(staff: StaffMember): boolean {
  return staff.roles.some(r => ADMIN_ROLES.includes(r.role))
}

/** Offices whose staff the person manages: every office for a platform admin, else those where they are office_admin. */
export function administeredOfficeIds(staff: StaffMember, allOfficeIds: readonly string[]): string[] {
  if (isPlatformAdmin(staff)) return [...allOfficeIds]
  const own = new Set(staff.roles.filter(r => r.role === 'office_admin').map(r => r.officeId))
  return allOfficeIds.filter(id => own.has(id))
}

/** Only a platform admin makes another one or a treasury member; office admins hand out the roles of an office. */
export function grantableRoles(staff: StaffMember): StaffRole[] {
  return STAFF_ROLES.filter(r => !CROSS_OFFICE_ROLES.includes(r) || isPlatformAdmin(staff))
}

export const isStaffRole = (value: string): value is StaffRole => (STAFF_ROLES as readonly string[]).includes(value)

/** Stops a change in an office the actor does not administer, or of a role they may not hand out. */
function assertMayManage(actor: StaffMember, allOfficeIds: readonly string[], officeId: string, role: StaffRole) {
  if (!allOfficeIds.includes(officeId)) throw new UnknownOffice()
  if (!administeredOfficeIds(actor, allOfficeIds).includes(officeId)) throw new OfficeNotAdministered()
  if (!grantableRoles(actor).includes(role)) throw new RoleNotGrantable()
}

export interface OfficeStaffMember {
  id: string
  name: string
  email: string
  roles: StaffRole[]
  /** Set when the person signs in through the city's directory: their roles follow its groups. */
  directory: { lastSyncedAt: Date } | null
}

/** Everyone with a role in the office, each once, with their roles there. */
export async function listOfficeStaff(db: Db, officeId: string): Promise<OfficeStaffMember[]> {
  const members = new Map<string, OfficeStaffMember>()
  for (const row of await listOfficeStaffRoles(db, officeId)) {
    const member = members.get(row.id) ?? { id: row.id, name: row.name, email: row.email, roles: [], directory: null }
    member.roles.push(row.role)
    members.set(row.id, member)
  }
  for (const m of members.values()) m.roles.sort((a, b) => STAFF_ROLES.indexOf(a) - STAFF_ROLES.indexOf(b))
  for (const link of await listDirectoryLinks(db, [...members.keys()])) {
    const member = members.get(link.staffId)
    if (member) member.directory = { lastSyncedAt: new Date(link.lastSyncedAt) }
  }
  return [...members.values()]
}

export interface NewStaff {
  name: string
  email: string
  password: string
  officeId: string
  role: string
}

/** What the admin should fix in the form, per field; the actor's rights are checked by createStaff. */
export function validateNewStaff(
  input: NewStaff,
  officeIds: readonly string[],
  text: (key: string, params?: TranslateParams) => string,
  locale: Locale,
): FieldError[] {
  const errors: FieldError[] = []
  if (!input.name) errors.push({ fieldId: 'name', message: text('staff.admin.create.error.nameMissing') })
  else if (input.name.length > NAME_MAX)
    errors.push({ fieldId: 'name', message: text('staff.admin.create.error.tooLong', { max: NAME_MAX }) })
  if (!input.email) errors.push({ fieldId: 'email', message: text('staff.admin.create.error.emailMissing') })
  else if (input.email.length > EMAIL_MAX)
    errors.push({ fieldId: 'email', message: text('staff.admin.create.error.tooLong', { max: EMAIL_MAX }) })
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email))
    errors.push({ fieldId: 'email', message: text('staff.admin.create.error.emailInvalid') })
  if (input.password.length < MIN_PASSWORD_LENGTH)
    errors.push({
      fieldId: 'password',
      message: text('staff.admin.create.error.passwordShort', { min: MIN_PASSWORD_LENGTH }),
    })
  else if (input.password.length > MAX_PASSWORD_LENGTH)
    errors.push({
      fieldId: 'password',
      message: text('staff.admin.create.error.tooLong', { max: MAX_PASSWORD_LENGTH }),
    })
  else {
    const weakness = findWeakness(input.password, [input.name, input.email])
    if (weakness)
      errors.push({
        fieldId: 'password',
        message: text('staff.admin.create.error.passwordWeak', { advice: passwordAdvice(weakness, locale) }),
      })
  }
  if (!officeIds.includes(input.officeId))
    errors.push({ fieldId: 'officeId', message: text('staff.admin.create.error.officeMissing') })
  if (!isStaffRole(input.role)) errors.push({ fieldId: 'role', message: text('staff.admin.create.error.roleMissing') })
  return errors
}

/** Adds a person with one role in an office the actor administers; the e-mail is their sign-in name. */
export async function createStaff(
  db: Db,
  actor: StaffMember,
  allOfficeIds: readonly string[],
  input: NewStaff & { role: StaffRole },
): Promise<string> {
  assertMayManage(actor, allOfficeIds, input.officeId, input.role)
  const email = input.email.trim().toLowerCase()
  // argon2 is slow on purpose; hash before the transaction so it holds no lock meanwhile.
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async trx => {
    const id = await insertStaff(trx, { id: crypto.randomUUID(), email, name: input.name, passwordHash })
    if (!id) throw new StaffEmailTaken()
    await insertRole(trx, id, input.officeId, input.role)
    await audit(trx, {
      actor: { staffId: actor.id },
      action: 'staff.create',
      subjectType: 'staff',
      subjectId: id,
      officeId: input.officeId,
      details: { role: input.role },
    })
    return id
  })
}

/**
 * Gives a person a role in an office the actor administers; a person outside the actor's offices answers 404.
 * Four eyes: a role an admin gives themself is not granted but requested, and waits for a second admin
 * (decideRoleRequest). Where the city has one admin only, `bauhaus grant-role` grants from the server's shell.
 */
export async function grantRole(
  db: Db,
  actor: StaffMember,
  allOfficeIds: readonly string[],
  staffId: string,
  officeId: string,
  role: StaffRole,
): Promise<'granted' | 'requested' | 'unchanged'> {
  return db.transaction().execute(async trx => {
    const roles = await lockVisibleStaff(trx, actor, allOfficeIds, staffId)
    assertMayManage(actor, allOfficeIds, officeId, role)
    if (await findDirectoryIdentityOfStaff(trx, staffId)) throw new RolesFromDirectory()
    if (roles.some(r => r.officeId === officeId && r.role === role)) return 'unchanged'
    if (staffId === actor.id) {
      if (await findOpenRoleRequest(trx, staffId, officeId, role)) return 'requested'
      const requestId = crypto.randomUUID()
      await insertRoleRequest(trx, { id: requestId, staffId, officeId, role, requestedBy: actor.id })
      await audit(trx, {
        actor: { staffId: actor.id },
        action: 'staff.role.request',
        subjectType: 'staff',
        subjectId: staffId,
        officeId,
        details: { role, requestId },
      })
      return 'requested'
    }
    await insertRole(trx, staffId, officeId, role)
    await audit(trx, {
      actor: { staffId: actor.id },
      action: 'staff.role.grant',
      subjectType: 'staff',
      subjectId: staffId,
      officeId,
      details: { role },
    })
    return 'granted'
  })
}

/**
 * A second admin approves or rejects a role an admin asked for themself. Neither the requester nor the person the
 * role is for decides; the decider must be allowed to hand out that role in that office. Both names are recorded
 * (the request row and the audit entry).
 */
export async function decideRoleRequest(
  db: Db,
  actor: StaffMember,
  allOfficeIds: readonly string[],
  requestId: string,
  outcome: 'approved' | 'rejected',
): Promise<{ officeId: string }> {
  return db.transaction().execute(async trx => {
    const request = await lockOpenRoleRequest(trx, requestId)
    if (!request) throw new RoleRequestNotOpen()
    if (!administeredOfficeIds(actor, allOfficeIds).includes(request.officeId)) throw new StaffNotFound()
    if (actor.id === request.requestedBy || actor.id === request.staffId) throw new SecondAdminRequired()
    assertMayManage(actor, allOfficeIds, request.officeId, request.role)
    if (outcome === 'approved') await insertRole(trx, request.staffId, request.officeId, request.role)
    await setRoleRequestOutcome(trx, requestId, { decidedBy: actor.id, outcome })
    await audit(trx, {
      actor: { staffId: actor.id },
      action: outcome === 'approved' ? 'staff.role.approve' : 'staff.role.reject',
      subjectType: 'staff',
      subjectId: request.staffId,
      officeId: request.officeId,
      details: { role: request.role, requestId, requestedBy: request.requestedBy },
    })
    return { officeId: request.officeId }
  })
}

/**
 * `bauhaus grant-role`: a role given from the server's shell, for a city with one admin only (who cannot approve
 * their own request). Whoever runs it has the server, so this is the second pair of eyes; it is audited without a
 * staff actor (`via: cli`) and closes an open request for the same role.
 */
export async function grantRoleFromShell(
  db: Db,
  allOfficeIds: readonly string[],
  input: { email: string; officeId: string; role: string },
): Promise<'granted' | 'unchanged'> {
  if (!allOfficeIds.includes(input.officeId)) throw new UnknownOffice()
  if (!isStaffRole(input.role))
    throw new BadRequest('staff.admin.errors.unknownRole', { roles: STAFF_ROLES.join(', ') })
  const role = input.role
  const found = await findStaffIdByEmail(db, input.email)
  if (!found) throw new StaffNotFound()
  return db.transaction().execute(async trx => {
    await lockStaff(trx, found.id)
    const open = await findOpenRoleRequest(trx, found.id, input.officeId, role)
    if (open) await setRoleRequestOutcome(trx, open.id, { decidedBy: null, outcome: 'approved' })
    if (!(await insertRole(trx, found.id, input.officeId, role))) return 'unchanged'
    await audit(trx, {
      actor: {},
      action: 'staff.role.grant',
      subjectType: 'staff',
      subjectId: found.id,
      officeId: input.officeId,
      details: { role, via: 'cli', ...(open ? { requestId: open.id } : {}) },
    })
    return 'granted'
  })
}

/** Roles asked for and waiting for a second admin, in every office the actor administers. */
export function listRoleRequests(
  db: Db,
  actor: StaffMember,
  allOfficeIds: readonly string[],
): Promise<RoleRequestRow[]> {
  return listOpenRoleRequests(db, administeredOfficeIds(actor, allOfficeIds))
}

/** Takes a role away; nobody takes their own last admin role, so the administration never locks itself out by accident. */
export async function revokeRole(
  db: Db,
  actor: StaffMember,
  allOfficeIds: readonly string[],
  staffId: string,
  officeId: string,
  role: StaffRole,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const roles = await lockVisibleStaff(trx, actor, allOfficeIds, staffId)
    assertMayManage(actor, allOfficeIds, officeId, role)
    if (await findDirectoryIdentityOfStaff(trx, staffId)) throw new RolesFromDirectory()
    if (!roles.some(r => r.officeId === officeId && r.role === role)) return
    const adminRolesLeft = roles.filter(
      r => ADMIN_ROLES.includes(r.role) && !(r.officeId === officeId && r.role === role),
    )
    if (staffId === actor.id && ADMIN_ROLES.includes(role) && adminRolesLeft.length === 0) throw new LastAdminRole()
    await deleteRole(trx, staffId, officeId, role)
    await audit(trx, {
      actor: { staffId: actor.id },
      action: 'staff.role.revoke',
      subjectType: 'staff',
      subjectId: staffId,
      officeId,
      details: { role },
    })
  })
}

/**
 * Removes a person's authenticator app, passkeys and recovery codes when they lost them: they set up a factor again
 * at their next sign-in. Only an administrator who may manage every role the person holds (an office admin cannot
 * weaken a platform admin's sign-in), and not for themselves (their own security page is for that).
 */
export async function resetSecondFactor(
  db: Db,
  actor: StaffMember,
  allOfficeIds: readonly string[],
  staffId: string,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const roles = await lockVisibleStaff(trx, actor, allOfficeIds, staffId)
    for (const r of roles) assertMayManage(actor, allOfficeIds, r.officeId, r.role)
    if (staffId === actor.id) throw new OwnSecondFactor()
    const removed = await deleteSecondFactors(trx, staffId)
    await audit(trx, {
      actor: { staffId: actor.id },
      action: 'staff.secondFactor.reset',
      subjectType: 'staff',
      subjectId: staffId,
      details: { removed },
    })
  })
}

/** The person's roles, their row locked; 404 unless they hold a role in an office the actor administers. */
async function lockVisibleStaff(trx: Trx, actor: StaffMember, allOfficeIds: readonly string[], staffId: string) {
  const found = await lockStaff(trx, staffId)
  if (!found) throw new StaffNotFound()
  const roles = await listRolesOfStaff(trx, staffId)
  const administered = administeredOfficeIds(actor, allOfficeIds)
  if (!isPlatformAdmin(actor) && !roles.some(r => administered.includes(r.officeId))) throw new StaffNotFound()
  return roles
}

export interface AuditQuery {
  action?: string
  subject?: string
  actor?: string
  from?: string
  to?: string
  after?: number
}
export interface AuditLogEntry extends AuditRow {
  caseId: string | null
  caseReference: string | null
}
export interface AuditLogPage {
  entries: AuditLogEntry[]
  nextCursor: number | null
}

/**
 * What the administration shows of other modules, passed in by the composition root (src/extensions.ts): staff sits
 * below the case kernel and Open311, so it cannot import them.
 */
export interface StaffAdminLookups {
  /** The id of the case with this reference, so the log can be searched by what people read on paper. */
  findCaseIdByReference(db: Db, reference: string): Promise<string | undefined>
  /** The references of these cases, by id (ids of no case are left out). */
  findCaseReferences(db: Db, caseIds: string[]): Promise<Map<string, string>>
  /** Open311 API keys not revoked, for the overview. */
  countActiveApiKeys(db: Db): Promise<number>
}

const caseIdOf = (row: AuditRow): string | null =>
  row.subjectType === 'case' ? row.subjectId : typeof row.details?.caseId === 'string' ? row.details.caseId : null

/**
 * A page of the audit log within the actor's offices (all for a platform admin). Reading it is itself
 * recorded (Art. 5 (2) DSGVO: accountability covers who looked at whose traces), once per office read.
 */
export async function readAuditLog(
  db: Db,
  lookups: StaffAdminLookups,
  actor: StaffMember,
  allOfficeIds: readonly string[],
  query: AuditQuery,
): Promise<AuditLogPage> {
  const officeIds = isPlatformAdmin(actor) ? null : administeredOfficeIds(actor, allOfficeIds)
  return db.transaction().execute(async trx => {
    const subject = query.subject?.trim() || undefined
    const subjectId =
      subject && !isUuid(subject)
        ? ((await lookups.findCaseIdByReference(trx, subject)) ?? subject)
        : subject?.toLowerCase()
    const rows = await listAuditPage(
      trx,
      {
        officeIds,
        action: query.action || undefined,
        subjectId,
        actorEmail: query.actor?.trim().toLowerCase() || undefined,
        from: query.from || undefined,
        to: query.to || undefined,
      },
      query.after,
    )
    const page = rows.slice(0, AUDIT_PAGE_SIZE)
    const references = await lookups.findCaseReferences(
      trx,
      page.map(caseIdOf).filter((id): id is string => !!id),
    )
    const filters = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''))
    for (const officeId of officeIds ?? [null]) {
      await audit(trx, {
        actor: { staffId: actor.id },
        action: 'audit.read',
        subjectType: 'audit_log',
        subjectId: subjectId ?? '*',
        officeId,
        details: { filters },
      })
    }
    const last = page[page.length - 1]
    return {
      entries: page.map(row => {
        const caseId = caseIdOf(row)
        return { ...row, caseId, caseReference: caseId ? (references.get(caseId) ?? null) : null }
      }),
      nextCursor: rows.length > AUDIT_PAGE_SIZE && last ? last.id : null,
    }
  })
}
