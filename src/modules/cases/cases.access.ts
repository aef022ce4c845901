import type { StaffMember } from '../../platform/auth/sessions.js'
import type { StaffRole } from '../../platform/db/schema.js'

/** Only these roles work on cases; office and platform admins administer, they do not read case files. */
export const CASEWORK_ROLES: readonly StaffRole[] = ['caseworker', 'team_lead']

export function rolesIn(staff: StaffMember, officeId: string): StaffRole[] {
  return staff.roles.filter(r => r.officeId === officeId).map(r => r.role)
}

/** Offices whose cases the person may see and act on. */
export function caseworkOfficeIds(staff: StaffMember): string[] {
  return [...new Set(staff.roles.filter(r => CASEWORK_ROLES.includes(r.role)).map(r => r.officeId))]
}

export function canWorkOn(staff: StaffMember, officeId: string): boolean {
  return rolesIn(staff, officeId).some(r => CASEWORK_ROLES.includes(r))
}

export function isTeamLead(staff: StaffMember, officeId: string): boolean {
  return rolesIn(staff, officeId).includes('team_lead')
}
