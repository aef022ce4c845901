import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { JobStatus } from '../../platform/db/schema.js'
import { countJobsByStatus } from '../../platform/jobs/index.js'
import { administeredOfficeIds, isPlatformAdmin, type StaffAdminLookups } from './staff.admin.service.js'
import { countStaffOfOffices } from './staff.admin.queries.js'

export interface AdminOverview {
  officeIds: string[]
  staffCount: number
  /** Only for platform admins: the functions that concern the whole platform. */
  platform: { jobs: Record<JobStatus, number>; activeApiKeys: number } | null
}

/** The figures of the administration's start page; each is one small query, so the page stays cheap. */
export async function loadAdminOverview(
  db: Db,
  lookups: StaffAdminLookups,
  staff: StaffMember,
  allOfficeIds: readonly string[],
): Promise<AdminOverview> {
  const officeIds = administeredOfficeIds(staff, allOfficeIds)
  const staffCount = await countStaffOfOffices(db, officeIds)
  if (!isPlatformAdmin(staff)) return { officeIds, staffCount, platform: null }
  const jobs = await countJobsByStatus(db)
  const activeApiKeys = await lookups.countActiveApiKeys(db)
  return { officeIds, staffCount, platform: { jobs, activeApiKeys } }
}
