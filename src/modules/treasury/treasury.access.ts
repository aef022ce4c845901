import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { requireStaff } from '../staff/index.js'
import { TreasuryRoleMissing } from './treasury.errors.js'

/**
 * The one cross-office role: a treasury member sees the payments of every office. It opens no case
 * file; case access follows the casework roles of an office (cases.access.ts), which this is not.
 */
export function isTreasury(staff: StaffMember): boolean {
  return staff.roles.some(r => r.role === 'treasury')
}

/** The office the person holds the treasury role in, so that office's admins see their reads in the audit log. */
export function treasuryOfficeOf(staff: StaffMember): string | null {
  return staff.roles.find(r => r.role === 'treasury')?.officeId ?? null
}

/** onRequest guard: no staff session → login (pages) or 403; staff without the role → 403. */
export async function requireTreasury(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const staff = req.session?.staff
  if (!staff) return requireStaff(req, reply)
  if (!isTreasury(staff)) throw new TreasuryRoleMissing()
}
