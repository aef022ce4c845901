export { requireStaff, staffOf, staffOfficeIds, hasRole } from './staff.guard.js'
export { staffAuthRoutes } from './staff.routes.js'
