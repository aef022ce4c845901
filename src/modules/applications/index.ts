export { applicationRoutes } from './applications.routes.js'
export { listDraftsOfAccount } from './applications.drafts.js'
export { submitPaidDraft } from './applications.submit.js'
export { applicationApiRoutes, applicationApiDocs } from './applications.api.js'
