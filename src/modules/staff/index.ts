export { requireStaff, staffOf, staffOfficeIds, hasRole } from './staff.guard.js'
export { staffAuthRoutes } from './staff.routes.js'
export { staffAdminRoutes } from './staff.admin.routes.js'
export { staffAdminJobsRoutes } from './staff.admin.jobs.routes.js'
