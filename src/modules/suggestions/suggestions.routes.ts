import type { FastifyPluginAsync } from 'fastify'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { accountOf, requireAccount } from '../accounts/index.js'
import type { LifeEventRule } from './suggestions.rules.js'
import { dismissSuggestion, giveSuggestionsConsent, withdrawSuggestionsConsent } from './suggestions.service.js'
import { SuggestionMalformed } from './suggestions.errors.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const BACK = '/account/applications#suggestions'

/** Switching the suggestions on and off, and dismissing one; each answers with the start page again (no JavaScript). */
export const suggestionRoutes: FastifyPluginAsync<{ rules: readonly LifeEventRule[] }> = async (app, opts) => {
  app.addHook('preHandler', requireAccount)
  const deps = { db: app.db, services: app.services, rules: opts.rules }

  app.post('/account/suggestions/consent', async (req, reply) => {
    await giveSuggestionsConsent(app.db, accountOf(req).id, app.clock.now())
    return reply.redirect(BACK, 303)
  })

  app.post('/account/suggestions/consent/withdraw', async (req, reply) => {
    await withdrawSuggestionsConsent(app.db, accountOf(req).id, app.clock.now())
    return reply.redirect(BACK, 303)
  })

  app.post('/account/suggestions/dismiss', async (req, reply) => {
    const { values } = await readFormInput(req)
    const ruleId = formText(values, 'rule')
    const eventCaseId = formText(values, 'case')
    if (!opts.rules.some(r => r.id === ruleId) || !UUID.test(eventCaseId)) throw new SuggestionMalformed()
    await dismissSuggestion(deps, accountOf(req).id, { ruleId, eventCaseId }, app.clock.now())
    return reply.redirect(BACK, 303)
  })
}
