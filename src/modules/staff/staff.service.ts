import type { Db } from '../../platform/db/database.js'
import { dummyPasswordHash, verifyPassword } from '../../platform/auth/password.js'

const MAX_PASSWORD_LENGTH = 200

function findStaffByEmail(db: Db, email: string) {
  return db.selectFrom('staff').select(['id', 'password_hash as passwordHash']).where('email', '=', email).executeTakeFirst()
}

/** The staff member these credentials prove, or undefined; an unknown address costs the same time as a wrong password. */
export async function authenticateStaff(db: Db, email: string, password: string): Promise<string | undefined> {
  const staff = email ? await findStaffByEmail(db, email.trim().toLowerCase()) : undefined
  const hash = staff?.passwordHash ?? await dummyPasswordHash()
  const matches = password.length > 0 && password.length <= MAX_PASSWORD_LENGTH && await verifyPassword(hash, password)
  return staff && matches ? staff.id : undefined
}
