import type { ApplicationsPagePart } from '../applications/index.js'
import type { LifeEventRule } from './suggestions.rules.js'
import { suggestionsFor, type SuggestionsState } from './suggestions.service.js'
import { SuggestionsSection } from './views/suggestions-section.js'

/**
 * The suggestions on the account's start page. Not audited as a read: they are computed for the person alone from
 * their own applications, which they see on the same page anyway, and nobody else ever sees them.
 */
export function suggestionsPart(rules: readonly LifeEventRule[]): ApplicationsPagePart<SuggestionsState> {
  return {
    id: 'suggestions',
    load: (app, who) =>
      suggestionsFor({ db: app.db, services: app.services, rules }, who.accountId, who.locale, app.clock.now()),
    View: SuggestionsSection,
  }
}
