import randexp from 'randexp'
import type { LightMyRequestResponse } from 'fastify'
import type { Field, Page, ServiceDefinition } from '../../src/modules/catalogue/definition.schema.js'
import { fieldTypeOf } from '../../src/modules/forms/index.js'
import { todayInGermany } from '../../src/platform/i18n/i18n.js'
import { isConditionMet, visibleFields, type Answers } from '../../src/modules/forms/forms.answers.js'
import { samplePdf, samplePng, type TestBrowser, type UploadPart } from './test-platform.js'
import { loadOffices, loadServiceDefinitions } from '../../src/modules/catalogue/index.js'

// randexp is CommonJS with a default export: under ESM it arrives wrapped once more.
type RandExpClass = new (pattern: string) => { max: number; gen(): string }
const RandExp = (randexp as unknown as { default?: RandExpClass }).default ?? (randexp as unknown as RandExpClass)
const sampleMatching = (pattern: string) => {
  const gen = new RandExp(pattern)
  gen.max = 3
  return gen.gen()
}

/** A valid value for any field of any definition, so every shipped service can be applied for in tests. */
export function validValue(field: Field, today = todayInGermany()): string | string[] | Record<string, string> | null {
  // A value the pattern accepts (text, textarea, phone); any other by the field's type.
  if (field.pattern) return sampleMatching(field.pattern).slice(0, field.maxLength ?? 500)
  return fieldTypeOf(field).example(field, today) as string | string[] | Record<string, string> | null
}

/** Raw posted values for one page (address fields flattened), plus files to upload. */
export function pageForm(page: Page, answersSoFar: Answers, overrides: Record<string, string | string[]> = {}) {
  const form: Record<string, string | string[]> = {}
  const files: UploadPart[] = []
  const answers: Answers = { ...answersSoFar }
  for (const field of page.fields) {
    if (!isConditionMet(field.showIf, answers)) continue
    if (field.type === 'file') {
      const pdfAllowed = !field.accept || field.accept.includes('application/pdf')
      files.push({
        field: field.id,
        filename: pdfAllowed ? `${field.id}.pdf` : `${field.id}.png`,
        content: pdfAllowed ? samplePdf : samplePng,
      })
      continue
    }
    const value: string | string[] | Record<string, string> | null = overrides[field.id] ?? validValue(field)
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [part, v] of Object.entries(value as Record<string, string>)) form[`${field.id}.${part}`] = v
      answers[field.id] = value as Answers[string]
    } else if (value !== null) {
      form[field.id] = value as string | string[]
      answers[field.id] = value as string | string[]
    }
  }
  return { form, files, answers }
}

/** For whom the application is made when the person is asked: 'self', 'mandate:<id>' or 'business:<id>'. */
export interface StartOptions {
  forWhom?: string
}

/**
 * Applies for a service through the real routes: start, every page, check, submit (paying in the sandbox when asked).
 * Returns the draft id and the case reference shown on the confirmation page.
 */
export async function applyFor(
  browser: TestBrowser,
  definition: ServiceDefinition,
  overrides: Record<string, string | string[]> = {},
  opts: StartOptions = {},
) {
  const { draftId, answers } = await fillDraft(browser, definition, overrides, opts)
  let res = await browser.post(`/applications/${draftId}/submit`)
  res = await paySandboxIfAsked(browser, res)
  const confirmation = await browser.follow(res)
  const reference = /class="case-reference"[^>]*>([^<]+)</.exec(confirmation.body)?.[1]
  if (!reference) throw new Error(`no case reference after submitting ${definition.id}`)
  return { draftId, reference, answers }
}

/** Starts an application and answers every page through the real routes, up to the check page (left as lastHtml). */
export async function fillDraft(
  browser: TestBrowser,
  definition: ServiceDefinition,
  overrides: Record<string, string | string[]> = {},
  opts: StartOptions = {},
) {
  await browser.get(`/services/${definition.id}`)
  let res = await browser.post(`/services/${definition.id}/applications`)
  // "Für wen stellen Sie diesen Antrag?" for a person who may act for someone else (docs/mandates.md).
  if (res.statusCode === 200 && res.body.includes('name="for"'))
    res = await browser.post(`/services/${definition.id}/applications`, { for: opts.forWhom ?? 'self' })
  if (res.statusCode !== 303) throw new Error(`starting ${definition.id} answered ${res.statusCode}`)
  let location = String(res.headers.location)
  const draftId = /\/applications\/([^/]+)\//.exec(location)![1]!
  let answers: Answers = {}
  for (let step = 0; step < 20 && location.includes('/pages/'); step++) {
    const page = await browser.get(location)
    if (page.statusCode !== 200) throw new Error(`${location} answered ${page.statusCode}`)
    const pageId = location.split('/pages/')[1]!.split('?')[0]!
    const pageDef = definition.form.pages.find(p => p.id === pageId)!
    const prefilled = new Set(
      [...browser.lastHtml.matchAll(/class="kern-form-input prefilled"/g)].length
        ? visibleFields(pageDef, answers)
            .map(f => f.id)
            .filter(id => !browser.lastHtml.includes(`name="${id}`))
        : [],
    )
    const filled = pageForm(pageDef, answers, overrides)
    for (const id of prefilled) delete filled.form[id]
    answers = filled.answers
    res = await browser.post(
      location,
      { ...filled.form, action: 'continue' },
      filled.files.length ? { files: filled.files } : {},
    )
    if (res.statusCode !== 303)
      throw new Error(
        `page ${pageId} of ${definition.id} answered ${res.statusCode}: ${(/<a class="kern-link" href="#[^"]+">([^<]+)</.exec(res.body) ?? [])[1]}`,
      )
    location = String(res.headers.location)
  }
  const check = await browser.get(`/applications/${draftId}/check`)
  if (check.statusCode !== 200) throw new Error(`check page answered ${check.statusCode}`)
  return { draftId, answers }
}

/** When submitting sends the browser to the sandbox payment page, pays there (or fails/cancels) like a person would. */
export async function paySandboxIfAsked(
  browser: TestBrowser,
  res: LightMyRequestResponse,
  action: 'pay' | 'fail' | 'cancel' = 'pay',
) {
  const location = String(res.headers.location ?? '')
  if (res.statusCode !== 303 || !location.startsWith('/payments/sandbox/')) return res
  const page = await browser.get(location)
  if (page.statusCode !== 200) throw new Error(`sandbox page answered ${page.statusCode}`)
  return browser.post(location, { action, method: 'card' })
}

/** A complete JSON submission for POST /api/v1/services/:id/applications: every shown field answered, files base64-encoded. */
export function apiAnswers(
  definition: ServiceDefinition,
  overrides: Record<string, unknown> = {},
  withFiles = true,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {}
  for (const page of definition.form.pages) {
    if (!isConditionMet(page.showIf, answers as Answers)) continue
    for (const field of page.fields) {
      if (!isConditionMet(field.showIf, answers as Answers)) continue
      if (field.type === 'file') {
        if (!withFiles || (!field.required && overrides[field.id] === undefined)) continue
        const pdfAllowed = !field.accept || field.accept.includes('application/pdf')
        answers[field.id] = {
          filename: pdfAllowed ? `${field.id}.pdf` : `${field.id}.png`,
          contentBase64: (pdfAllowed ? samplePdf : samplePng).toString('base64'),
        }
        continue
      }
      const value = overrides[field.id] ?? validValue(field)
      if (value !== null) answers[field.id] = value
    }
  }
  return { ...answers, ...overrides }
}

/** The definition of a service as shipped in services/, for code that runs without a platform (app processes, bench). */
export function shippedDefinition(serviceId: string): ServiceDefinition {
  const found = loadServiceDefinitions('services', loadOffices('services')).find(s => s.definition.id === serviceId)
  if (!found) throw new Error(`no service "${serviceId}" in services/`)
  return found.definition
}
