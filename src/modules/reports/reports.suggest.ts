import type { Db } from '../../platform/db/database.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { listReportCategories, type ReportCategory } from './reports.categories.js'
import { suggestRouting, type TriageSettings } from '../triage/index.js'

export interface CategorySuggestion {
  /** label: a category code; best first. */
  suggestions: { label: string; office: string; probability: number }[]
  confident: boolean
  /** The words that drove the suggestion, with their weight. */
  explanation: { term: string; weight: number }[]
}

/**
 * Suggests a category for a report's text. The one place that decides how: the triage model (trained on the offices'
 * decisions); while it knows none of the current categories (no model yet, or only old codes), the categories' keywords.
 */
export async function suggestReportCategory(
  db: Db,
  services: ServiceRegistry,
  text: string,
  settings: Pick<TriageSettings, 'triageMinConfidence'>,
): Promise<CategorySuggestion> {
  const categories = listReportCategories(services)
  const model = await suggestRouting(db, text, 'report', settings)
  const known = model.suggestions.filter(s => categories.some(c => c.code === s.label))
  if (known.length) return { ...model, suggestions: known }
  return suggestByKeywords(categories, text)
}

/**
 * Counts each category's keywords in the text. Long keywords match inside words too (German compounds:
 * "Straßenlaterne" holds "laterne"); short ones only as whole words, so "ast" does not match "Pflaster".
 */
export function suggestByKeywords(categories: ReportCategory[], text: string): CategorySuggestion {
  const lower = text.toLowerCase().slice(0, 20_000)
  const scored: { category: ReportCategory; score: number; terms: string[] }[] = []
  for (const category of categories) {
    const terms = category.keywords.map(k => k.toLowerCase()).filter(k => matches(lower, k))
    // A longer keyword says more than a short one.
    const score = terms.reduce((sum, k) => sum + (k.length >= 6 ? 2 : 1), 0)
    if (score > 0) scored.push({ category, score, terms })
  }
  scored.sort((a, b) => b.score - a.score)
  const total = scored.reduce((sum, s) => sum + s.score, 0)
  const suggestions = scored.slice(0, 3).map(s => ({
    label: s.category.code,
    office: s.category.office,
    probability: Number((s.score / total).toFixed(2)),
  }))
  const top = scored[0]
  return {
    suggestions,
    confident: !!top && top.score >= 2 && (suggestions[0]?.probability ?? 0) >= 0.6,
    explanation: top ? top.terms.map(term => ({ term, weight: term.length >= 6 ? 2 : 1 })) : [],
  }
}

function matches(text: string, keyword: string): boolean {
  if (keyword.length >= 5) return text.includes(keyword)
  return new RegExp(`(?<![\\p{L}\\p{N}])${keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(
    text,
  )
}
