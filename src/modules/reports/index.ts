// Defect reports (Mängelmelder): what other modules may call. The Open311 API (src/modules/open311) builds on these.
export { listReportCategories, findReportCategory, reportServices, type ReportCategory } from './reports.categories.js'
export { submitReport, type NewReport, type SubmittedReport } from './reports.submit.js'
export {
  ReportInvalid,
  ReportRateLimited,
  ReportNotFound,
  type ReportField,
  type ReportFieldError,
} from './reports.errors.js'
// The database rate limiter, shared with the contact form (src/modules/contact), which keys its own counts.
export { countReportSubmission, type RateLimitKey } from './reports.ratelimit.js'
export { listPublicReports, findNearbyReports, findPublicReport, type PublicReport } from './reports.public.js'
export { followReport, unfollowReport } from './reports.follow.js'
export { suggestReportCategory, type CategorySuggestion } from './reports.suggest.js'
export { changeReportCategory, setReportPhotosReviewed } from './reports.casework.js'
export { reportSection, reportFollowers } from './reports.case.js'
export { reportRoutes } from './reports.routes.js'
export { reportCaseworkRoutes } from './reports.casework.routes.js'
export { seedDemoReports } from './reports.demo.js'
