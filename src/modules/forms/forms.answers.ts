import type { Condition, Field, Page, ServiceDefinition } from '../catalogue/index.js'

export interface AddressAnswer {
  street: string
  houseNumber: string
  postalCode: string
  city: string
}
export interface FileAnswer {
  fileId: string
  filename: string
  sizeBytes: number
  mediaType: string
}
export type AnswerValue = string | string[] | AddressAnswer | FileAnswer
export type Answers = Record<string, AnswerValue>

/** Ids of the fields that were taken from the account and are not asked again (once-only). */
export const PREFILLED_KEY = '_prefilled'

export function isConditionMet(cond: Condition | undefined, answers: Answers): boolean {
  if (!cond) return true
  const value = answers[cond.field]
  const given = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  if (cond.equals !== undefined) {
    // A single checkbox stores "yes"; `equals: true` in the definition means ticked.
    const expected = cond.equals === true ? 'yes' : cond.equals === false ? '' : String(cond.equals)
    if (expected === '') return given.length === 0 || given.every(v => v === '')
    return given.includes(expected)
  }
  return (cond.in ?? []).some(v => given.includes(v))
}

export function visiblePages(def: ServiceDefinition, answers: Answers): Page[] {
  return def.form.pages.filter(page => isConditionMet(page.showIf, answers))
}

export function visibleFields(page: Page, answers: Answers): Field[] {
  return page.fields.filter(field => isConditionMet(field.showIf, answers))
}

export function prefilledFieldIds(answers: Record<string, unknown>): string[] {
  const list = answers[PREFILLED_KEY]
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []
}

/** Drops answers to fields that are no longer shown, so a changed answer cannot leave stale data in the case. */
export function pruneHiddenAnswers(def: ServiceDefinition, answers: Answers): Answers {
  const kept: Answers = {}
  for (const page of visiblePages(def, answers)) {
    for (const field of visibleFields(page, answers)) {
      if (answers[field.id] !== undefined) kept[field.id] = answers[field.id]
    }
  }
  return kept
}

export function isAddress(value: unknown): value is AddressAnswer {
  return !!value && typeof value === 'object' && 'street' in value && 'postalCode' in value
}

export function isFileAnswer(value: unknown): value is FileAnswer {
  return !!value && typeof value === 'object' && 'fileId' in value
}

/** The applicant's name as the office files it: from the fields the definition marks as the account's name. */
export function applicantNameOf(def: ServiceDefinition, answers: Answers): string {
  const fieldFor = (source: string) => def.form.pages.flatMap(p => p.fields).find(f => f.prefill === source)
  const answerFor = (source: string) => {
    const field = fieldFor(source)
    const value = field ? answers[field.id] : undefined
    return typeof value === 'string' ? value.trim() : ''
  }
  return answerFor('companyName') || [answerFor('givenName'), answerFor('familyName')].filter(Boolean).join(' ')
}

/**
 * The applicant's postal address as the letter window's lines (street, town): the form's address field that the
 * account would prefill, else its first address field; none when the form asks for no address.
 */
export function applicantAddressLines(def: ServiceDefinition, answers: Record<string, unknown>): string[] {
  const fields = def.form.pages.flatMap(p => p.fields).filter(f => f.type === 'address')
  const field = fields.find(f => f.prefill === 'address') ?? fields[0]
  const value = field ? answers[field.id] : undefined
  return isAddress(value) ? addressLines(value) : []
}

/** An address as two window lines, leaving out what is missing. */
export function addressLines(a: {
  street: string | null
  houseNumber: string | null
  postalCode: string | null
  city: string | null
}): string[] {
  return [`${a.street ?? ''} ${a.houseNumber ?? ''}`.trim(), `${a.postalCode ?? ''} ${a.city ?? ''}`.trim()].filter(
    Boolean,
  )
}

export function applicantEmailOf(def: ServiceDefinition, answers: Answers): string | null {
  const field = def.form.pages.flatMap(p => p.fields).find(f => f.prefill === 'email' || f.type === 'email')
  const value = field ? answers[field.id] : undefined
  return typeof value === 'string' && value ? value : null
}
