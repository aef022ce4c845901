export { requireStaff, staffOf, staffOfficeIds, hasRole, startPageWithoutCasework } from './staff.guard.js'
export { staffAuthRoutes } from './staff.routes.js'
export { forgetAbandonedSignIns } from './staff.sign-in.js'
export { staffAdminRoutes } from './staff.admin.routes.js'
export { staffAdminJobsRoutes, requirePlatformAdmin } from './staff.admin.jobs.routes.js'
export { AdminTabs } from './views/admin-staff.js'
export type { StaffAdminLookups } from './staff.admin.service.js'
export { grantRoleFromShell } from './staff.admin.service.js'
export { loadStaffDirectory, type StaffDirectory } from './staff.directory.config.js'
export {
  DEMO_DIRECTORY_PREFIX,
  directoryDemoRoutes,
  inProcessFetch,
  createDirectoryProvider,
  type DirectoryUser,
} from './staff.directory.demo.js'
export { DIRECTORY_SYNC_JOB, syncDirectoryMembers } from './staff.directory.service.js'
export { forgetDirectorySignIns } from './staff.directory.queries.js'
