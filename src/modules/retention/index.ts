export { runRetention, RETENTION_JOB, type RetentionDeps } from './retention.run.js'
export { archiveTransferRetention } from './retention.archive.js'
export { retentionRoutes } from './retention.routes.js'
export { processingGaps } from './retention.register.js'
