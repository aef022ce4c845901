import type { FastifyReply, FastifyRequest } from 'fastify'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { StaffRole } from '../../platform/db/schema.js'
import { Forbidden } from '../../platform/http/errors.js'

/**
 * preHandler for back-office routes: without a staff session a page request goes to the login
 * (and comes back), anything else (POST …) is refused with 403.
 */
export async function requireStaff(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (req.session?.staff) return
  if (req.method === 'GET' || req.method === 'HEAD') {
    return reply.redirect(`/backoffice/login?return=${encodeURIComponent(req.url)}`, 303)
  }
  throw new Forbidden('staff.errors.loginRequired')
}

/** The signed-in staff member; for handlers behind requireStaff. Throws 403 when there is none. */
export function staffOf(req: FastifyRequest): StaffMember {
  const staff = req.session?.staff
  if (!staff) throw new Forbidden('staff.errors.loginRequired')
  return staff
}

/** Offices a staff member works in, each once. */
export function staffOfficeIds(staff: StaffMember): string[] {
  return [...new Set(staff.roles.map(r => r.officeId))]
}

/**
 * Whether the staff member holds exactly this role in that office. Roles do not imply each other
 * (a platform_admin is no caseworker anywhere): access to case files follows explicit assignment.
 */
export function hasRole(staff: StaffMember, officeId: string, role: StaffRole): boolean {
  return staff.roles.some(r => r.officeId === officeId && r.role === role)
}

/**
 * Where a person without a casework role starts in the back office: the page of the role they hold (the platform
 * first, then the treasury's daily work, an office's administration, the counter, the pre-sorting). Undefined when no role opens a page.
 */
export function startPageWithoutCasework(staff: StaffMember): string | undefined {
  const holds = (role: StaffRole) => staff.roles.some(r => r.role === role)
  if (holds('platform_admin')) return '/backoffice/admin'
  if (holds('treasury')) return '/backoffice/treasury'
  if (holds('office_admin')) return '/backoffice/admin'
  if (holds('counter')) return '/backoffice/counter'
  if (holds('triage')) return '/backoffice/triage'
  return undefined
}
