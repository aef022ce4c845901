export { runRetention, RETENTION_JOB } from './retention.run.js'
export { archiveTransferRetention } from './retention.archive.js'
export { retentionRoutes } from './retention.routes.js'
export { processingGaps } from './retention.register.js'
