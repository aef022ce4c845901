export {
  countUnreadMessages,
  listMessagesOfCase,
  listOwedDocumentRequests,
  markDocumentsReminded,
  hasOwedDocumentRequest,
  type CaseMessage,
} from './postbox.queries.js'
export { deliverToApplicant } from './postbox.deliver.js'
export { postboxRoutes } from './postbox.routes.js'
export type { ApplicantReply, RecordReplyInCase } from './postbox.service.js'
export type { MessagePart } from './postbox.parts.js'
export { postboxHolder } from './postbox.personal-data.js'
