// The public contact form and the routing of free-text enquiries by the pre-sorting model: what other modules may call.
export {
  routeSubmission,
  recordContactRouting,
  contactRoutingSettings,
  type ContactRoutingSettings,
} from './contact.routing.js'
export { submitContactRequest } from './contact.submit.js'

export { contactSection, contactEvents } from './contact.case.js'
export { contactRoutes } from './contact.routes.js'
export { contactCaseworkRoutes } from './contact.casework.routes.js'
