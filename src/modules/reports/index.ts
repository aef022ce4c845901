// Defect reports (Mängelmelder): what other modules may call. The Open311 API (src/modules/open311) builds on these.
export { listReportCategories, reportServices, type ReportCategory } from './reports.categories.js'
export { submitReport, type NewReport } from './reports.submit.js'
export {
  ReportInvalid,
  ReportRateLimited,
  type ReportField,
} from './reports.errors.js'
// The database rate limiter, shared with the contact form (src/modules/contact), which keys its own counts.
export { countReportSubmission } from './reports.ratelimit.js'
export { listPublicReports, findNearbyReports, type PublicReport } from './reports.public.js'

export { reportSection, reportFollowers } from './reports.case.js'
export { reportRoutes } from './reports.routes.js'
export { reportCaseworkRoutes } from './reports.casework.routes.js'
export { seedDemoReports } from './reports.demo.js'
export { reportsHolder } from './reports.personal-data.js'
export { stopFollowing } from './reports.follow.js'
export { caseReports } from './reports.retention.js'
