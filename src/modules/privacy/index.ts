// "Meine Daten": the export of everything held about a person, account deletion and consents (docs/privacy.md).
export { privacyRoutes } from './privacy.routes.js'
export { prepareExport, PRIVACY_EXPORT_JOB, EXPIRE_EXPORTS_JOB } from './privacy.export.js'
export { expireExports } from './privacy.queries.js'
