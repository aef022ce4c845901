export {
  countUnreadMessages,
  listMessagesOfCase,
  listOwedDocumentRequests,
  markDocumentsReminded,
  hasOwedDocumentRequest,
  type CaseMessage,
} from './postbox.queries.js'
export { deliverToApplicant, type ApplicantMessage } from './postbox.deliver.js'
export { postboxRoutes } from './postbox.routes.js'
