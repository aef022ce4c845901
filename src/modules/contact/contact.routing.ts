import { ConfigError, type Config } from '../../platform/config.js'
import type { Db, Trx } from '../../platform/db/database.js'
import type { Office, ServiceDefinition, Text } from '../catalogue/index.js'
import { insertCaseEvent } from '../cases/index.js'
import { suggestRouting } from '../triage/index.js'

/** How enquiries are routed; made once by the composition root (app, worker) and passed to whoever routes one. */
export interface ContactRoutingSettings {
  /** Where unsure enquiries go (TRIAGE_FALLBACK_OFFICE). */
  fallbackOffice: string
  offices: Office[]
  triageMinConfidence: number
}

/** The settings from the configuration, checked against the offices: a wrong TRIAGE_FALLBACK_OFFICE stops the start. */
export function contactRoutingSettings(
  config: Pick<Config, 'triageFallbackOffice' | 'triageMinConfidence'>,
  offices: Office[],
): ContactRoutingSettings {
  if (!offices.some(o => o.id === config.triageFallbackOffice)) {
    throw new ConfigError(
      'TRIAGE_FALLBACK_OFFICE',
      `unknown office "${config.triageFallbackOffice}" (see services/_offices.yaml)`,
    )
  }
  return { fallbackOffice: config.triageFallbackOffice, offices, triageMinConfidence: config.triageMinConfidence }
}

/** What the pre-sorting model said about an enquiry when it arrived, as stored with the case (timeline entry data). */
export interface ContactRouting {
  /** The office the case opened in: the top suggestion when confident, else the fallback office. */
  officeId: string
  confident: boolean
  /** Up to three offices by probability, each with its name as it was then. */
  suggestions: { officeId: string; office: Text | null; probability: number }[]
  /** The words of the text that drove the top suggestion, strongest first. */
  terms: string[]
}

/** The free text a definition's `routing` section names, from the answers; empty when there is none. */
export function routingTextOf(definition: ServiceDefinition, answers: Record<string, unknown>): string {
  const value = definition.routing ? answers[definition.routing.textField] : undefined
  return typeof value === 'string' ? value.trim() : ''
}

/**
 * Asks the pre-sorting model (kind `contact`) where an enquiry belongs. Confident (TRIAGE_MIN_CONFIDENCE) and an
 * office that exists: that office; otherwise the fallback office, where a person assigns it.
 */
export async function routeContactText(
  db: Db,
  settings: ContactRoutingSettings,
  text: string,
): Promise<ContactRouting> {
  const result = await suggestRouting(db, text, 'contact', settings)
  const officeName = (id: string): Text | null => settings.offices.find(o => o.id === id)?.name ?? null
  // A label of an office the city no longer has is no suggestion.
  const suggestions = result.suggestions
    .filter(s => settings.offices.some(o => o.id === s.office))
    .map(s => ({ officeId: s.office, office: officeName(s.office), probability: s.probability }))
  const top = suggestions[0]
  const confident = result.confident && !!top && top.officeId === result.suggestions[0]?.office
  return {
    officeId: confident ? top!.officeId : settings.fallbackOffice,
    confident,
    suggestions,
    terms: result.explanation.slice(0, 8).map(e => e.term),
  }
}

/**
 * For the submission of any service with a `routing` section (the generic form and /kontakt): where its case opens.
 * Asked before the submitting transaction, since the model is cached per database handle.
 */
export async function routeSubmission(
  db: Db,
  settings: ContactRoutingSettings,
  definition: ServiceDefinition,
  answers: Record<string, unknown>,
): Promise<ContactRouting | undefined> {
  if (definition.routing?.kind !== 'contact') return undefined
  return routeContactText(db, settings, routingTextOf(definition, answers))
}

/** The internal timeline entry that keeps the model's suggestion and explanation at routing time. */
export async function recordContactRouting(trx: Trx, caseId: string, routing: ContactRouting): Promise<void> {
  await insertCaseEvent(trx, { caseId, kind: 'contact_routed', internal: true, data: { ...routing } })
}
