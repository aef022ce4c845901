/**
 * Pre-structuring in the application form: facts found in a pasted text or an uploaded document are offered for
 * the fields of the current page. Nothing is filled by itself: a proposal fills its field only when the person ticks
 * it and presses "Apply selected", and even then the page is not saved until they continue as usual.
 */
import type { Field, FieldType, Page } from '../catalogue/index.js'
import {
  extractFacts,
  factExcerpt,
  MAX_DOCUMENT_BYTES,
  type FactExcerpt,
  readDocumentText,
  type ExtractedFact,
  type FactKind,
} from '../triage/index.js'
import {
  isAddress,
  isFileAnswer,
  prefilledFieldIds,
  visibleFields,
  type AddressAnswer,
  type AnswerValue,
  type Answers,
} from '../forms/index.js'
import type { UploadedFile } from '../../platform/files/files.js'
import { scanRefusalKey, type VirusScanner } from '../../platform/files/virus-scan.js'
import type { Locale, Translate } from '../../platform/i18n/i18n.js'
import type { FormInput } from '../../platform/http/form-input.js'
import { formText } from '../../platform/http/form-input.js'

export const PREFILL_MAX_TEXT = 20_000
const MAX_DOCUMENT_MB = MAX_DOCUMENT_BYTES / 1024 / 1024
/** Form names of the section; field ids start with a lower-case letter, so these never collide with a field. */
export const PREFILL_TEXT = '_prefillText'
export const PREFILL_DOCUMENT = '_prefillDocument'
export const PREFILL_APPLY = '_prefillApply'

/**
 * Which fact may fill which field, as data. A rule applies to a field of one of its types when it has no further
 * condition, or when the field's id or label matches `hint`, or when the field's pattern accepts `sample` (a
 * licence-plate pattern accepts "DO-AB 123"). A field with a pattern is offered only values its pattern accepts.
 */
interface PrefillRule {
  fact: FactKind
  types: FieldType[]
  hint?: RegExp
  sample?: string
}
export const PREFILL_RULES: readonly PrefillRule[] = [
  { fact: 'date', types: ['date'] },
  { fact: 'address', types: ['address'] },
  { fact: 'iban', types: ['iban'] },
  { fact: 'iban', types: ['text'], hint: /\biban\b|^iban/i },
  { fact: 'phone', types: ['phone'] },
  { fact: 'licence-plate', types: ['text'], hint: /licen[cs]e ?plate|plate|kennzeichen/i, sample: 'DO-AB 123' },
  { fact: 'amount', types: ['number'], hint: /amount|income|costs?\b|price|betrag|einkommen|kosten|unterhalt|euro|€/i },
  { fact: 'case-reference', types: ['text'], hint: /reference|file ?number|aktenzeichen/i },
  { fact: 'fee-reference', types: ['text'], hint: /fee ?reference|kassenzeichen/i },
  { fact: 'payment-reference', types: ['text'], hint: /payment ?reference|zahlungsreferenz/i },
]

function ruleApplies(rule: PrefillRule, field: Field): boolean {
  if (!rule.types.includes(field.type)) return false
  if (!rule.hint && !rule.sample) return true
  const words = [field.id, field.label.de, field.label.en].join(' ')
  if (rule.hint?.test(words)) return true
  return !!rule.sample && !!field.pattern && patternAccepts(field.pattern, rule.sample)
}

// As validation reads it: the whole value must match. Patterns are checked to compile when definitions load.
const patternAccepts = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`, 'u').test(value)

/** The fact as the answer the field stores, or null when the field could not take it. */
function answerFor(field: Field, fact: ExtractedFact, locale: Locale): AnswerValue | null {
  let value: AnswerValue
  switch (fact.kind) {
    case 'address': {
      const m = /^(.+) (\S+), (?:(\d{5}) )?Dortmund$/.exec(fact.value)
      if (!m) return null
      value = { street: m[1]!, houseNumber: m[2]!, postalCode: m[3] ?? '', city: 'Dortmund' } satisfies AddressAnswer
      break
    }
    case 'amount': {
      const [whole, cents] = fact.value.replace(/ EUR$/, '').split('.') as [string, string]
      if (cents !== '00' && !field.decimals) return null
      value = cents === '00' ? whole : `${whole}${locale === 'de' ? ',' : '.'}${cents}`
      break
    }
    default:
      value = fact.value
  }
  if (typeof value === 'string' && field.pattern && !patternAccepts(field.pattern, value)) return null
  if (typeof value === 'string' && field.maxLength && value.length > field.maxLength) return null
  return value
}

export interface Proposal {
  /**
   * `fieldId|value`: unique per field (values are offered once) and independent of where the value stands, since a
   * browser sends the text box back with CRLF line breaks and may drop a leading one.
   */
  key: string
  field: Field
  value: AnswerValue
  fact: ExtractedFact
  /** Up to 40 characters either side of the found text, for "where it was found". */
  excerpt: FactExcerpt
}

/** What the "take details from a text" part of a form page shows: the text, proposals, the outcome. */
export interface PrefillState {
  text: string
  /** Set after "Detect details": what was found for this page (possibly nothing). */
  proposals?: Proposal[]
  /** Keys the person ticked, kept when the list is shown again. */
  ticked?: string[]
  /** Set after "Apply selected": how many fields were filled. */
  applied?: number
  /** The document's text was added to the text box. */
  fromDocument?: boolean
  error?: { anchor: 'prefill-text' | 'prefill-document'; message: string }
}

/** Up to three proposals per field of the page that is shown and asked (not taken from the account). */
export function proposeValues(fields: Field[], text: string, locale: Locale): Proposal[] {
  const facts = extractFacts(text.slice(0, PREFILL_MAX_TEXT))
  const proposals: Proposal[] = []
  for (const field of fields) {
    const kinds = new Set(PREFILL_RULES.filter(r => ruleApplies(r, field)).map(r => r.fact))
    const seen = new Set<string>()
    for (const fact of facts) {
      if (!kinds.has(fact.kind) || seen.has(fact.value)) continue
      const value = answerFor(field, fact, locale)
      if (value === null) continue
      seen.add(fact.value)
      proposals.push({ key: `${field.id}|${fact.value}`, field, value, fact, excerpt: factExcerpt(text, fact) })
      if (seen.size === 3) break
    }
  }
  return proposals
}

/** The ticked proposals as answers; where several are ticked for one field, the first counts. */
export function appliedAnswers(proposals: Proposal[], ticked: string[]): Answers {
  const applied: Answers = {}
  for (const p of proposals)
    if (ticked.includes(p.key) && applied[p.field.id] === undefined) applied[p.field.id] = p.value
  return applied
}

export function hasAnswer(value: AnswerValue | undefined): boolean {
  if (value === undefined) return false
  if (typeof value === 'string') return value.trim() !== ''
  if (Array.isArray(value)) return value.length > 0
  if (isAddress(value))
    return [value.street, value.houseNumber, value.postalCode, value.city].some(s => s.trim() !== '')
  return isFileAnswer(value)
}

/** The text to read: what was typed, followed by the uploaded document's text; or the reason it cannot be read. */
export async function prefillText(
  typed: string,
  document: UploadedFile | undefined,
): Promise<{ text: string; error?: 'type' | 'size' | 'tooLong' | 'missing'; fromDocument: boolean }> {
  let text = typed
  let fromDocument = false
  if (document) {
    const read = await readDocumentText(document.content)
    if (!read.ok) return { text: typed, error: read.reason, fromDocument }
    const docText = read.text.trim()
    if (docText) {
      text = [typed.trim(), docText].filter(Boolean).join('\n\n')
      fromDocument = true
    }
  }
  if (text.length > PREFILL_MAX_TEXT)
    return { text: typed.slice(0, PREFILL_MAX_TEXT), error: 'tooLong', fromDocument: false }
  if (!text.trim()) return { text, error: 'missing', fromDocument }
  return { text, fromDocument }
}

/**
 * "Detect details" or "Apply selected" on a page: the proposals for its shown, asked fields, or the answers with
 * the ticked ones filled in. Nothing is saved here; a text or document that cannot be read is a 400 with the
 * message at the text box or file input, and everything typed is kept.
 */
export async function runPrefill(
  page: Page,
  answers: Answers,
  input: FormInput,
  action: 'detect' | 'apply',
  t: Translate,
  scanner: VirusScanner,
): Promise<{
  state: PrefillState
  answers: Answers
  status: 200 | 400
}> {
  const typed = formText(input.values, PREFILL_TEXT, { trim: false }).replace(/\r\n?/g, '\n')
  const document = action === 'detect' ? input.files.find(f => f.fieldName === PREFILL_DOCUMENT) : undefined
  // Only read, never stored, but parsed: a document is scanned before the PDF reader opens it.
  const refusal = document ? scanRefusalKey(await scanner.scan(document.content)) : undefined
  if (refusal)
    return {
      state: { text: typed, error: { anchor: 'prefill-document', message: t.text(refusal) } },
      answers,
      status: 400,
    }
  const read = await prefillText(typed, document)
  if (read.error) {
    const anchor = read.error === 'type' || read.error === 'size' ? 'prefill-document' : 'prefill-text'
    const message = t.text(`applications.prefill.error.${read.error}`, { max: PREFILL_MAX_TEXT, size: MAX_DOCUMENT_MB })
    return { state: { text: read.text, error: { anchor, message } }, answers, status: 400 }
  }
  const prefilled = new Set(prefilledFieldIds(answers))
  const fields = visibleFields(page, answers).filter(f => f.type !== 'file' && !prefilled.has(f.id))
  const proposals = proposeValues(fields, read.text, t.locale)
  if (action === 'detect')
    return { state: { text: read.text, proposals, fromDocument: read.fromDocument }, answers, status: 200 }
  const ticked = [input.values[PREFILL_APPLY] ?? []].flat()
  const applied = appliedAnswers(proposals, ticked)
  const count = Object.keys(applied).length
  return {
    state: count ? { text: read.text, applied: count } : { text: read.text, applied: 0, proposals },
    answers: { ...answers, ...applied },
    status: 200,
  }
}
