import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { Forbidden } from '../../platform/http/errors.js'
import type { StaffRole } from '../../platform/db/schema.js'

/** Only these roles work on cases; office and platform admins administer, they do not read case files. */
export const CASEWORK_ROLES: readonly StaffRole[] = ['caseworker', 'team_lead']

export function rolesIn(staff: StaffMember, officeId: string): StaffRole[] {
  return staff.roles.filter((r) => r.officeId === officeId).map((r) => r.role)
}

/** Offices whose cases the person may see and act on. */
export function caseworkOfficeIds(staff: StaffMember): string[] {
  return [...new Set(staff.roles.filter((r) => CASEWORK_ROLES.includes(r.role)).map((r) => r.officeId))]
}

/** Offices the person holds any role in (the counter lists their services). */
export function anyOfficeIds(staff: StaffMember): string[] {
  return [...new Set(staff.roles.map((r) => r.officeId))]
}

export function canWorkOn(staff: StaffMember, officeId: string): boolean {
  return rolesIn(staff, officeId).some((r) => CASEWORK_ROLES.includes(r))
}

export function isTeamLead(staff: StaffMember, officeId: string): boolean {
  return rolesIn(staff, officeId).includes('team_lead')
}

/** The signed-in staff member of a request; the guard below made sure there is one. */
export function staffOf(req: FastifyRequest): StaffMember {
  const staff = req.session?.staff
  if (!staff) throw new Forbidden()
  return staff
}

/** preHandler for back-office routes: a page asks to sign in, anything else is refused. */
export async function requireStaffSession(req: FastifyRequest, reply: FastifyReply) {
  if (req.session?.staff) return
  if (req.method === 'GET' || req.method === 'HEAD') return reply.redirect(`/backoffice/login?return=${encodeURIComponent(req.url)}`, 303)
  throw new Forbidden()
}
