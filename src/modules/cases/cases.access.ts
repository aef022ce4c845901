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

/**
 * Who files an application for a person (at the counter, on their behalf): staff of the service's office, or the
 * counter role (the Bürgerbüro, which takes applications for every office). Others would open cases in offices
 * they have no part in.
 */
export function canFileOnBehalf(staff: StaffMember, serviceOfficeId: string): boolean {
  return canWorkOn(staff, serviceOfficeId) || staff.roles.some(r => r.role === 'counter')
}
