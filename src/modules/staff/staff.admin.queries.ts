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
