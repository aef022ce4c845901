// Pre-sorting (triage) and pre-structuring: what other modules may call.
import type { Db, Trx } from '../../platform/db/database.js'
import { recordDecision, suggestRoutingWith, type RoutingDecision, type TriageSettings } from './triage.service.js'

/**
 * Suggests category and office for a defect report ('report') or the office for a free-text question ('contact'):
 * up to three suggestions by probability, whether the top one is confident enough to route without a person
 * (TRIAGE_MIN_CONFIDENCE), and the words that drove it.
 */
export async function suggestRouting(
  db: Db,
  text: string,
  kind: 'report' | 'contact',
  settings: Pick<TriageSettings, 'triageMinConfidence'>,
): Promise<{
  suggestions: { label: string; office: string; probability: number }[]
  confident: boolean
  explanation: { term: string; weight: number }[]
}> {
  const { suggestions, confident, explanation } = await suggestRoutingWith(db, text, kind, settings.triageMinConfidence)
  return { suggestions, confident, explanation }
}

/**
 * Records a routing decision a caseworker confirmed or corrected as a training example, in the caller's transaction.
 * Only staff of the case's office or holding the triage role teach the model; anyone else gets 403.
 */
export async function recordRoutingDecision(
  db: Db | Trx,
  input: RoutingDecision & { kind: 'report' | 'contact' },
  settings: Pick<TriageSettings, 'triageRetrainAfter'>,
): Promise<void> {
  await recordDecision(db, input, settings.triageRetrainAfter)
}

export { extractFacts, type ExtractedFact, type FactKind } from './triage.extract.js'
export { detectedFactsSection } from './triage.case.js'
export { readDocumentText, MAX_DOCUMENT_BYTES } from './triage.document.js'
export { factExcerpt, type FactExcerpt } from './triage.excerpt.js'
export {
  ensureTriageModels,
  retrainTriage,
  activeTriageModel,
  isTriageKind,
  TRIAGE_RETRAIN_JOB,
  TRIAGE_KINDS,
  type TriageSettings,
} from './triage.service.js'

export { triageRoutes } from './triage.routes.js'
