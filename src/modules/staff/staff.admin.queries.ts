import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffRole } from '../../platform/db/schema.js'
import { announceStaffAccessChanged } from '../../platform/live/index.js'

export interface StaffRoleRow {
  officeId: string
  role: StaffRole
}
export interface OfficeStaffRow {
  id: string
  name: string
  email: string
  role: StaffRole
}

/** Everyone holding a role in the office, one row per role, by name. */
export function listOfficeStaffRoles(db: Db, officeId: string): Promise<OfficeStaffRow[]> {
  return db
    .selectFrom('staff')
    .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
    .select(['staff.id', 'staff.name', 'staff.email', 'staff_roles.role'])
    .where('staff_roles.office_id', '=', officeId)
    .orderBy('staff.name')
    .orderBy('staff.email')
    .orderBy('staff_roles.role')
    .execute()
}

/** Locks the staff member's row, so two changes to one person's roles run one after the other. */
export function lockStaff(trx: Trx, staffId: string) {
  return trx.selectFrom('staff').select(['id', 'email']).where('id', '=', staffId).forUpdate().executeTakeFirst()
}

export function listRolesOfStaff(db: Db, staffId: string): Promise<StaffRoleRow[]> {
  return db
    .selectFrom('staff_roles')
    .select(['office_id as officeId', 'role'])
    .where('staff_id', '=', staffId)
    .execute()
}

/** Undefined when the e-mail is taken already: the unique index decides, so two admins racing cannot both win. */
export async function insertStaff(
  trx: Trx,
  staff: { id: string; email: string; name: string; passwordHash: string },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('staff')
    .values({ id: staff.id, email: staff.email, name: staff.name, password_hash: staff.passwordHash })
    .onConflict(oc => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

/** True when the role was added now, false when the person held it already. */
export async function insertRole(trx: Trx, staffId: string, officeId: string, role: StaffRole): Promise<boolean> {
  const row = await trx
    .insertInto('staff_roles')
    .values({ staff_id: staffId, office_id: officeId, role })
    .onConflict(oc => oc.doNothing())
    .returning('staff_id')
    .executeTakeFirst()
  return !!row
}

/** True when the role was removed now, false when the person did not hold it. */
export async function deleteRole(trx: Trx, staffId: string, officeId: string, role: StaffRole): Promise<boolean> {
  const row = await trx
    .deleteFrom('staff_roles')
    .where('staff_id', '=', staffId)
    .where('office_id', '=', officeId)
    .where('role', '=', role)
    .returning('staff_id')
    .executeTakeFirst()
  // Open event streams were allowed under the old roles; they close and, reopened, are checked anew.
  if (row) await announceStaffAccessChanged(trx, staffId)
  return !!row
}

/** People holding at least one role in these offices, each counted once. */
export async function countStaffOfOffices(db: Db, officeIds: string[]): Promise<number> {
  if (officeIds.length === 0) return 0
  const row = await db
    .selectFrom('staff_roles')
    .select(eb => eb.fn.count<number>('staff_id').distinct().as('n'))
    .where('office_id', 'in', officeIds)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface RoleRequestRow {
  id: string
  staffId: string
  staffName: string
  officeId: string
  role: StaffRole
  requestedBy: string
  requestedByName: string
  requestedAt: Date
}

/** The open request for this role, if the person has one. */
export function findOpenRoleRequest(db: Db, staffId: string, officeId: string, role: StaffRole) {
  return db
    .selectFrom('staff_role_requests')
    .select('id')
    .where('staff_id', '=', staffId)
    .where('office_id', '=', officeId)
    .where('role', '=', role)
    .where('outcome', 'is', null)
    .executeTakeFirst()
}

export async function insertRoleRequest(
  trx: Trx,
  row: { id: string; staffId: string; officeId: string; role: StaffRole; requestedBy: string },
): Promise<void> {
  await trx
    .insertInto('staff_role_requests')
    .values({
      id: row.id,
      staff_id: row.staffId,
      office_id: row.officeId,
      role: row.role,
      requested_by: row.requestedBy,
    })
    .execute()
}

/** Locks an open request, so two admins deciding it at once decide it once. */
export function lockOpenRoleRequest(trx: Trx, requestId: string) {
  return trx
    .selectFrom('staff_role_requests')
    .select(['id', 'staff_id as staffId', 'office_id as officeId', 'role', 'requested_by as requestedBy'])
    .where('id', '=', requestId)
    .where('outcome', 'is', null)
    .forUpdate()
    .executeTakeFirst()
}

export async function setRoleRequestOutcome(
  trx: Trx,
  requestId: string,
  decision: { decidedBy: string | null; outcome: 'approved' | 'rejected' },
): Promise<void> {
  await trx
    .updateTable('staff_role_requests')
    .set({ decided_by: decision.decidedBy, decided_at: new Date(), outcome: decision.outcome })
    .where('id', '=', requestId)
    .execute()
}

/** Open requests for roles in these offices, oldest first, with both names. */
export function listOpenRoleRequests(db: Db, officeIds: string[]): Promise<RoleRequestRow[]> {
  if (officeIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('staff_role_requests as r')
    .innerJoin('staff as s', 's.id', 'r.staff_id')
    .innerJoin('staff as q', 'q.id', 'r.requested_by')
    .select([
      'r.id',
      'r.staff_id as staffId',
      's.name as staffName',
      'r.office_id as officeId',
      'r.role',
      'r.requested_by as requestedBy',
      'q.name as requestedByName',
      'r.requested_at as requestedAt',
    ])
    .where('r.office_id', 'in', officeIds)
    .where('r.outcome', 'is', null)
    .orderBy('r.requested_at')
    .orderBy('r.id')
    .execute()
}

export function findStaffIdByEmail(db: Db, email: string) {
  return db.selectFrom('staff').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst()
}
