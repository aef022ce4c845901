import type { Db, Trx } from '../../platform/db/database.js'
import type { PersonalDataHolder } from '../../platform/privacy/index.js'
import { hasActiveConsent } from '../../platform/privacy/consents.js'
import { deleteDismissals, listDismissals } from './suggestions.queries.js'
import { SUGGESTIONS_CONSENT } from './suggestions.service.js'

/**
 * The suggestions hold only what the person dismissed; the suggestions themselves are computed on each visit and not
 * stored. The consent is in the account's part too (every consent is), and said here for the reader.
 */
export const suggestionsHolder: PersonalDataHolder = {
  id: 'suggestions',
  async exportFor(db: Db, accountId: string) {
    return {
      data: {
        consentActive: await hasActiveConsent(db, accountId, SUGGESTIONS_CONSENT),
        dismissed: (await listDismissals(db, accountId)).map(d => ({
          rule: d.ruleId,
          case: d.eventCaseId,
          at: d.dismissedAt,
        })),
      },
    }
  },
  async eraseFor(trx: Trx, accountId: string) {
    return [{ subjectType: 'suggestion_dismissal', outcome: 'deleted', count: await deleteDismissals(trx, accountId) }]
  },
}
