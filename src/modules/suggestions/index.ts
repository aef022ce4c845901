// The proactive account (M8): what usually comes next after a person's own applications, with their consent
// (docs/suggestions.md).
export { loadLifeEvents, type LifeEventRule } from './suggestions.rules.js'
export { suggestionRoutes } from './suggestions.routes.js'
export { suggestionsPart } from './suggestions.part.js'
export { suggestionsHolder } from './suggestions.personal-data.js'
export { forgetDismissals } from './suggestions.service.js'
