import type { Db } from '../../platform/db/database.js'
import { passwordMatches } from '../../platform/auth/password.js'

function findStaffByEmail(db: Db, email: string) {
  return db
    .selectFrom('staff')
    .select(['id', 'password_hash as passwordHash'])
    .where('email', '=', email)
    .executeTakeFirst()
}

/** The staff member these credentials prove, or undefined; an unknown address costs the same time as a wrong password. */
export async function authenticateStaff(db: Db, email: string, password: string): Promise<string | undefined> {
  const staff = email ? await findStaffByEmail(db, email.trim().toLowerCase()) : undefined
  // Checked even for an unknown address, so the answer takes as long either way.
  const matches = await passwordMatches(staff?.passwordHash, password)
  return staff && matches ? staff.id : undefined
}
