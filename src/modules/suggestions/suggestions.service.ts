import type { Db, Trx } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import { formatDate, type Locale } from '../../platform/i18n/i18n.js'
import { hasActiveConsent, recordConsent, withdrawConsents } from '../../platform/privacy/consents.js'
import type { ServiceRegistry, Text } from '../catalogue/index.js'
import { listOwnCasesWithAnswers, stateOf } from '../cases/index.js'
import { isConditionMet, type Answers } from '../forms/index.js'
import { deleteDismissals, insertDismissal, listDismissals } from './suggestions.queries.js'
import type { LifeEventRule } from './suggestions.rules.js'
import { SuggestionNotFound } from './suggestions.errors.js'

export const SUGGESTIONS_CONSENT = 'personalised-suggestions' as const
const DAY_MS = 24 * 60 * 60 * 1000

export interface SuggestionDeps {
  db: Db
  services: ServiceRegistry
  rules: readonly LifeEventRule[]
}

/** One suggestion: the service that usually comes next, and the event in the person's own applications behind it. */
export interface Suggestion {
  ruleId: string
  eventCaseId: string
  service: { id: string; title: Text; online: boolean }
  /** Why it appears, with the event's service, date and reference filled in. */
  reason: string
}

export type SuggestionsState = { consented: false } | { consented: true; suggestions: Suggestion[] }

/**
 * What usually comes next for this person, from their own applications only: a rule fires on a case the account
 * applied for itself (not another person's, not one made for someone else) whose answers meet the rule's condition,
 * while the event is recent enough; it is left out once the person applied for the suggested service after the event,
 * or dismissed it. Nothing at all without the consent, asked on every call so that a withdrawal counts at once.
 */
export async function suggestionsFor(
  deps: SuggestionDeps,
  accountId: string,
  locale: Locale,
  now: Date,
  opts: { includeDismissed?: boolean } = {},
): Promise<SuggestionsState> {
  if (!(await hasActiveConsent(deps.db, accountId, SUGGESTIONS_CONSENT))) return { consented: false }
  if (!deps.rules.length) return { consented: true, suggestions: [] }
  const cases = await listOwnCasesWithAnswers(deps.db, accountId)
  const dismissed = new Set((await listDismissals(deps.db, accountId)).map(d => `${d.ruleId}/${d.eventCaseId}`))
  const bySuggestedService = new Map<string, Suggestion & { eventDate: Date }>()
  for (const c of cases) {
    for (const rule of deps.rules.filter(r => r.event.service === c.serviceId)) {
      if (!isConditionMet(rule.event.when, c.answers as Answers)) continue
      let eventDate = new Date(c.submittedAt)
      if (rule.event.counts === 'completed') {
        const definition = await deps.services.version(c.serviceId, c.serviceVersion)
        const state = stateOf(definition, c.status)
        if (!state?.final || state.outcome !== 'approved') continue
        eventDate = new Date(c.closedAt ?? c.submittedAt)
      }
      if (now.getTime() - eventDate.getTime() > rule.relevantForDays * DAY_MS) continue
      // Applied for it since the event: nothing to suggest any more.
      if (cases.some(other => other.serviceId === rule.suggest && new Date(other.submittedAt) >= eventDate)) continue
      const online = deps.services.find(rule.suggest)
      const title = online?.title ?? deps.services.findOffline(rule.suggest)?.title
      if (!title) continue
      const known = bySuggestedService.get(rule.suggest)
      // Cases come newest first: the latest event speaks for a service suggested by several.
      if (known) continue
      const eventTitle = deps.services.find(c.serviceId)?.title[locale] ?? c.serviceId
      bySuggestedService.set(rule.suggest, {
        ruleId: rule.id,
        eventCaseId: c.id,
        eventDate,
        service: { id: rule.suggest, title, online: !!online },
        reason: fillReason(rule.reason[locale], {
          service: eventTitle,
          date: formatDate(eventDate, locale),
          reference: c.reference,
        }),
      })
    }
  }
  const suggestions = [...bySuggestedService.values()]
    .filter(s => opts.includeDismissed || !dismissed.has(`${s.ruleId}/${s.eventCaseId}`))
    .sort((a, b) => b.eventDate.getTime() - a.eventDate.getTime())
    .map(({ eventDate: _eventDate, ...s }) => s)
  return { consented: true, suggestions }
}

function fillReason(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}

/** Hides one of the person's current suggestions for good; one that is not theirs (or not current) is not found. */
export async function dismissSuggestion(
  deps: SuggestionDeps,
  accountId: string,
  input: { ruleId: string; eventCaseId: string },
  now: Date,
): Promise<void> {
  // A dismissal sent twice (a double click, the back button) is not an error.
  const state = await suggestionsFor(deps, accountId, 'de', now, { includeDismissed: true })
  const current =
    state.consented && state.suggestions.some(s => s.ruleId === input.ruleId && s.eventCaseId === input.eventCaseId)
  if (!current) throw new SuggestionNotFound()
  const known = await listDismissals(deps.db, accountId)
  if (known.some(d => d.ruleId === input.ruleId && d.eventCaseId === input.eventCaseId)) return
  await deps.db.transaction().execute(async trx => {
    await insertDismissal(trx, { accountId, ...input, at: now })
    await audit(trx, {
      actor: { accountId },
      action: 'suggestion.dismiss',
      subjectType: 'account',
      subjectId: accountId,
      details: { rule: input.ruleId },
    })
  })
}

/** Switches the suggestions on: the consent is recorded (Art. 7 (1) DSGVO) and audited. */
export async function giveSuggestionsConsent(db: Db, accountId: string, now: Date): Promise<void> {
  await db.transaction().execute(async trx => {
    await recordConsent(trx, { accountId, kind: SUGGESTIONS_CONSENT, at: now })
    await audit(trx, {
      actor: { accountId },
      action: 'consent.give',
      subjectType: 'account',
      subjectId: accountId,
      details: { kind: SUGGESTIONS_CONSENT },
    })
  })
}

/**
 * Switches the suggestions off from the start page: the consent is withdrawn and the dismissals, which exist only
 * for the suggestions, are deleted with it (Art. 17 (1) b DSGVO). The privacy page's withdrawal does the same.
 */
export async function withdrawSuggestionsConsent(db: Db, accountId: string, now: Date): Promise<void> {
  await db.transaction().execute(async trx => {
    const withdrawn = await withdrawConsents(trx, { accountId, kind: SUGGESTIONS_CONSENT, subjectRef: null, at: now })
    await deleteDismissals(trx, accountId)
    if (withdrawn)
      await audit(trx, {
        actor: { accountId },
        action: 'consent.withdraw',
        subjectType: 'account',
        subjectId: accountId,
        details: { kind: SUGGESTIONS_CONSENT },
      })
  })
}

/** What a withdrawal on the privacy page does for the suggestions, inside its transaction: the dismissals go. */
export async function forgetDismissals(trx: Trx, accountId: string): Promise<void> {
  await deleteDismissals(trx, accountId)
}
