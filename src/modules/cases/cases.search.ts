import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { caseworkOfficeIds } from './cases.access.js'
import { NoCaseworkOffice } from './cases.errors.js'
import { findReadableByReference, SEARCH_LIMIT, searchReadableCases, type SearchRow } from './cases.search.queries.js'
import { stateOf } from './cases.workflow.js'

/** A term shorter than this finds too much to be useful, and gives the trigram index nothing to look up. */
export const SEARCH_MIN_CHARS = 3
export const SEARCH_MAX_CHARS = 200
export const SEARCH_MAX_TERMS = 8
const REFERENCE = /^[A-Za-z0-9-]+$/

export type SearchProblem = 'tooShort' | 'tooLong' | 'tooManyTerms'

/**
 * The words of a query: split at spaces (control characters count as spaces), with punctuation trimmed off each end,
 * so "Hohe Str. 12," looks for "hohe", "str" and "12"; an e-mail address or a reference keeps its inner dots and dashes.
 */
export function parseSearchTerms(raw: string): { terms: string[] } | { problem: SearchProblem } {
  if (raw.length > SEARCH_MAX_CHARS) return { problem: 'tooLong' }
  const terms = [
    ...new Set(
      raw
        .replace(/\p{C}/gu, ' ')
        .split(/\s+/)
        .map(word => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
        .filter(word => word.length > 0),
    ),
  ]
  if (!terms.some(term => term.length >= SEARCH_MIN_CHARS)) return { problem: 'tooShort' }
  if (terms.length > SEARCH_MAX_TERMS) return { problem: 'tooManyTerms' }
  return { terms }
}

export interface SearchEntry extends SearchRow {
  serviceTitle: string
  statusLabel: string
  outcome: string | null
  exactReference: boolean
}
export type SearchOutcome =
  | { kind: 'empty' }
  | { kind: 'problem'; problem: SearchProblem }
  | { kind: 'results'; entries: SearchEntry[]; more: boolean }

/**
 * Cases the person may read whose reference, applicant name, e-mail or address contains every term of the query;
 * a case whose reference is exactly the query is the one answer. The query names people, so every search is audited,
 * once per office searched, as the audit log's own reads are. Nobody without a casework role searches (treasury, admins).
 */
export async function searchCases(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  rawQuery: string,
  locale: 'de' | 'en',
): Promise<SearchOutcome> {
  const officeIds = caseworkOfficeIds(staff)
  if (officeIds.length === 0) throw new NoCaseworkOffice()
  const query = rawQuery.trim()
  if (!query) return { kind: 'empty' }
  const parsed = parseSearchTerms(query)
  if ('problem' in parsed) return { kind: 'problem', problem: parsed.problem }
  return db.transaction().execute(async trx => {
    const exact = REFERENCE.test(query) ? await findReadableByReference(trx, officeIds, query.toUpperCase()) : undefined
    // A reference names one case: matched exactly, that case is the answer, and the substring search is spared.
    const rows = exact ? [exact] : await searchReadableCases(trx, officeIds, parsed.terms)
    const more = rows.length > SEARCH_LIMIT
    const found = rows.slice(0, SEARCH_LIMIT)
    for (const officeId of officeIds) {
      await audit(trx, {
        actor: { staffId: staff.id },
        action: 'case.search',
        subjectType: 'case_search',
        subjectId: '*',
        officeId,
        details: { query, results: found.length, more },
      })
    }
    const entries: SearchEntry[] = []
    for (const row of found) {
      const definition = await services.version(row.serviceId, row.serviceVersion)
      const state = stateOf(definition, row.status)
      entries.push({
        ...row,
        serviceTitle: definition.title[locale],
        statusLabel: state?.label[locale] ?? row.status,
        outcome: state?.outcome ?? null,
        exactReference: row.id === exact?.id,
      })
    }
    return { kind: 'results', entries, more }
  })
}
