// The public contact form and the routing of free-text enquiries by the pre-sorting model: what other modules may call.
export {
  routeSubmission,
  recordContactRouting,
  contactRoutingSettings,
  type ContactRoutingSettings,
  type ContactRouting,
} from './contact.routing.js'
export {
  submitContactRequest,
  contactService,
  type NewContactRequest,
  type SubmittedContactRequest,
} from './contact.submit.js'
export { decideContactRouting } from './contact.casework.js'
export { contactSection, contactEvents } from './contact.case.js'
export { contactRoutes } from './contact.routes.js'
export { contactCaseworkRoutes } from './contact.casework.routes.js'
