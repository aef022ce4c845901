export { applicationRoutes } from './applications.routes.js'
export { listDraftsOfAccount } from './applications.queries.js'
export { submitPaidDraft, forgetIdempotencyKeys, FORGET_IDEMPOTENCY_KEYS_JOB } from './applications.submit.js'
export { applicationApiRoutes } from './applications.api.js'
