export { applicationRoutes } from './applications.routes.js'

export { applicationAccountRoutes } from './applications.account.routes.js'
export type { ApplicationsPagePart } from './applications.parts.js'
export { submitPaidDraft, forgetIdempotencyKeys, FORGET_IDEMPOTENCY_KEYS_JOB } from './applications.submit.js'
export { applicationApiRoutes } from './applications.api.js'
export { draftsHolder } from './applications.personal-data.js'
export { draftRetention, caseDrafts } from './applications.retention.js'
