import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml'
import { ServiceDefinition, WEEKDAYS, type Field, type Text } from './definition.schema.js'
import { checkNoticeTemplates } from './definition.notices.js'
import { checkReportSection } from './definition.reports.js'
import { OfficesData, OfflineEntries, type OfflineEntry } from './offline.schema.js'

export interface Office {
  id: string
  name: Text
  address?: string
  phone?: string
  email?: string
  url?: string
  openingHours?: Text
}
export interface LoadedService {
  definition: ServiceDefinition
  file: string
  contentHash: string
}

/** A definition file that fails the schema or the cross-checks; names the file, the path and what is wrong. */
export class DefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid service definitions:\n${problems.map(p => `  - ${p}`).join('\n')}`)
  }
}

const ajv = new Ajv({ allErrors: true, strict: false })
const validateSchema = ajv.compile(ServiceDefinition)
const validateOffices = ajv.compile(OfficesData)
const validateOffline = ajv.compile(OfflineEntries)

export function loadOffices(servicesDir: string): Office[] {
  const checked = checkData(
    fs.readFileSync(path.join(servicesDir, '_offices.yaml'), 'utf8'),
    'services/_offices.yaml',
    validateOffices,
  )
  if (checked.problems.length) throw new DefinitionError(checked.problems)
  return checked.value as Office[]
}

/** services/_offline.yaml: the services not (yet) online, with the way to apply; none when the file is absent. */
export function loadOfflineEntries(servicesDir: string, offices: Office[], services: LoadedService[]): OfflineEntry[] {
  const file = path.join(servicesDir, '_offline.yaml')
  if (!fs.existsSync(file)) return []
  const problems = checkOfflineText(
    fs.readFileSync(file, 'utf8'),
    'services/_offline.yaml',
    offices,
    services.map(s => s.definition.id),
  )
  if (problems.problems.length) throw new DefinitionError(problems.problems)
  return problems.value as OfflineEntry[]
}

/** All problems of an offline-services text: YAML syntax, schema, unknown offices and ids taken twice. */
export function checkOfflineText(
  text: string,
  fileLabel: string,
  offices: Office[],
  serviceIds: string[],
): { problems: string[]; value: unknown } {
  const checked = checkData(text, fileLabel, validateOffline)
  if (checked.problems.length) return checked
  const seen = new Set(serviceIds)
  const problems: string[] = []
  ;(checked.value as OfflineEntry[]).forEach((entry, i) => {
    if (!offices.some(o => o.id === entry.office))
      problems.push(
        `${fileLabel}: /${i}/office${checked.lineOf(`/${i}/office`)}: unknown office "${entry.office}" (see services/_offices.yaml)`,
      )
    // Entries share the catalogue's addresses (/services/<id>) with the online services.
    if (seen.has(entry.id))
      problems.push(
        `${fileLabel}: /${i}/id${checked.lineOf(`/${i}/id`)}: "${entry.id}" is already used by another service`,
      )
    seen.add(entry.id)
  })
  return { ...checked, problems }
}

/** A YAML text checked against a compiled schema; problems name the file, the path and the line. */
function checkData(
  text: string,
  fileLabel: string,
  validate: ValidateFunction,
): { problems: string[]; value: unknown; lineOf: (pointer: string) => string } {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  const lineOf = (pointer: string) => {
    const node = nodeAt(doc.contents as Node | null, pointer.split('/').filter(Boolean))
    return node?.range ? ` (line ${lineCounter.linePos(node.range[0]).line})` : ''
  }
  if (doc.errors.length)
    return {
      problems: doc.errors.map(e => `${fileLabel}: YAML syntax error: ${e.message.split('\n')[0]}`),
      value: undefined,
      lineOf,
    }
  const value = doc.toJSON()
  const problems = validate(value)
    ? []
    : summarizeErrors(validate.errors ?? []).map(e => `${fileLabel}: ${e.path || '/'}${lineOf(e.path)}: ${e.message}`)
  return { problems, value, lineOf }
}

/** Reads and checks every services/*.yaml (files starting with "_" are shared data, not services). */
export function loadServiceDefinitions(servicesDir: string, offices: Office[]): LoadedService[] {
  const problems: string[] = []
  const loaded: LoadedService[] = []
  const files = fs
    .readdirSync(servicesDir)
    .filter(f => /\.ya?ml$/.test(f) && !f.startsWith('_'))
    .sort()
  const seenIds = new Map<string, string>()
  for (const name of files) {
    const file = path.join(servicesDir, name)
    const text = fs.readFileSync(file, 'utf8')
    const checked = checkDefinition(text, `services/${name}`, offices)
    if (checked.problems.length) {
      problems.push(...checked.problems)
      continue
    }
    const definition = checked.value as ServiceDefinition
    const other = seenIds.get(definition.id)
    if (other) problems.push(`services/${name}: /id: "${definition.id}" is already used by ${other}`)
    seenIds.set(definition.id, `services/${name}`)
    const contentHash = crypto.createHash('sha256').update(JSON.stringify(definition)).digest('hex')
    loaded.push({ definition, file, contentHash })
  }
  if (problems.length) throw new DefinitionError(problems)
  return loaded
}

/** All problems of one definition text: YAML syntax, schema, then references between its parts. */
export function checkDefinitionText(text: string, fileLabel: string, offices: Office[]): string[] {
  return checkDefinition(text, fileLabel, offices).problems
}

/** The problems and the parsed value, so a loader parses each file once (YAML parsing is most of loading 6,000 files). */
function checkDefinition(text: string, fileLabel: string, offices: Office[]): { problems: string[]; value: unknown } {
  const checked = checkData(text, fileLabel, validateSchema)
  if (checked.problems.length || checked.value === undefined) return checked
  return {
    problems: checkReferences(checked.value as ServiceDefinition, offices).map(
      p => `${fileLabel}: ${p.path}${checked.lineOf(p.path)}: ${p.message}`,
    ),
    value: checked.value,
  }
}

function nodeAt(node: Node | null, segments: string[]): Node | null {
  if (!node || segments.length === 0) return node
  const [head, ...rest] = segments
  if (isMap(node)) {
    const pair = node.items.find(p => String((p.key as { value?: unknown })?.value ?? p.key) === head)
    return pair ? nodeAt((pair.value as Node) ?? null, rest) : node
  }
  if (isSeq(node)) return nodeAt((node.items[Number(head)] as Node) ?? null, rest)
  return node
}

/** A union of literals fails once per branch; say it once, with the allowed values. */
function summarizeErrors(errors: ErrorObject[]): { path: string; message: string }[] {
  const allowed = new Map<string, unknown[]>()
  for (const e of errors)
    if (e.keyword === 'const')
      allowed.set(e.instancePath, [
        ...(allowed.get(e.instancePath) ?? []),
        (e.params as { allowedValue: unknown }).allowedValue,
      ])
  const out: { path: string; message: string }[] = []
  for (const e of errors) {
    if (e.keyword === 'const') continue
    if (e.keyword === 'anyOf' && allowed.has(e.instancePath)) {
      out.push({
        path: e.instancePath,
        message: `must be one of ${allowed
          .get(e.instancePath)!
          .map(v => JSON.stringify(v))
          .join(', ')}`,
      })
    } else if (e.keyword !== 'anyOf') {
      out.push({ path: e.instancePath, message: describeError(e) })
    }
  }
  return out
}

function describeError(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties')
    return `unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`
  if (e.keyword === 'required') return `missing property "${(e.params as { missingProperty: string }).missingProperty}"`
  return e.message ?? e.keyword
}

interface Problem {
  path: string
  message: string
}

/** What a JSON Schema cannot say: ids unique, conditions pointing backwards, states and offices that exist. */
export function checkReferences(def: ServiceDefinition, offices: Office[]): Problem[] {
  const problems: Problem[] = []
  if (!offices.some(o => o.id === def.office))
    problems.push({ path: '/office', message: `unknown office "${def.office}" (see services/_offices.yaml)` })
  // A level above low is a sign-in through an identity provider: nobody reaches it without signing in.
  if (def.assurance && def.assurance !== 'low' && !def.loginRequired)
    problems.push({ path: '/assurance', message: `level "${def.assurance}" needs "loginRequired: true"` })
  const fieldsSoFar = new Map<string, Field>()
  const pageIds = new Set<string>()
  def.form.pages.forEach((page, p) => {
    if (pageIds.has(page.id))
      problems.push({ path: `/form/pages/${p}/id`, message: `page id "${page.id}" is used twice` })
    pageIds.add(page.id)
    if (page.showIf) checkCondition(page.showIf, `/form/pages/${p}/showIf`)
    page.fields.forEach((field, f) => {
      const at = `/form/pages/${p}/fields/${f}`
      if (fieldsSoFar.has(field.id))
        problems.push({ path: `${at}/id`, message: `field id "${field.id}" is used twice` })
      if (field.showIf) checkCondition(field.showIf, `${at}/showIf`)
      if ((field.type === 'select' || field.type === 'radio') && !field.options)
        problems.push({ path: at, message: `a ${field.type} field needs "options"` })
      if (field.pattern) {
        try {
          new RegExp(field.pattern, 'u')
        } catch {
          problems.push({ path: `${at}/pattern`, message: 'not a valid regular expression' })
        }
      }
      fieldsSoFar.set(field.id, field)
    })
  })
  function checkCondition(cond: { field: string; equals?: unknown; in?: string[] }, at: string) {
    const target = fieldsSoFar.get(cond.field)
    if (!target)
      problems.push({ path: `${at}/field`, message: `"${cond.field}" is not a field asked before this point` })
    else if (at.startsWith('/fees') && !target.options && target.type !== 'checkbox')
      problems.push({ path: `${at}/field`, message: `"${cond.field}" is not a field with options or a checkbox` })
    else if (target.options) {
      const values = [cond.equals, ...(cond.in ?? [])].filter(v => v !== undefined).map(String)
      for (const v of values)
        if (!target.options.some(o => o.value === v))
          problems.push({ path: at, message: `"${v}" is not an option of field "${cond.field}"` })
    }
    if (cond.equals === undefined && !cond.in) problems.push({ path: at, message: 'needs "equals" or "in"' })
  }
  def.fees?.items.forEach((item, i) => {
    if (item.perField && fieldsSoFar.get(item.perField)?.type !== 'number')
      problems.push({
        path: `/fees/items/${i}/perField`,
        message: `"${item.perField}" is not a number field of the form`,
      })
    if (item.when) checkCondition(item.when, `/fees/items/${i}/when`)
    if (item.perWeekdayOf) {
      const target = fieldsSoFar.get(item.perWeekdayOf)
      if (!def.fees?.recurring)
        problems.push({ path: `/fees/items/${i}/perWeekdayOf`, message: 'only recurring fees are charged per weekday' })
      else if (
        target?.type !== 'checkbox' ||
        !target.options?.every(o => (WEEKDAYS as readonly string[]).includes(o.value))
      ) {
        problems.push({
          path: `/fees/items/${i}/perWeekdayOf`,
          message: `"${item.perWeekdayOf}" is not a checkbox field whose options are weekdays (${WEEKDAYS.join(', ')})`,
        })
      }
    }
  })
  const recurring = def.fees?.recurring
  if (recurring?.from && fieldsSoFar.get(recurring.from)?.type !== 'date')
    problems.push({ path: '/fees/recurring/from', message: `"${recurring.from}" is not a date field of the form` })
  if (recurring && def.fees?.due !== 'onNotice')
    problems.push({ path: '/fees/due', message: 'recurring fees are charged by notice: use "onNotice"' })
  for (const [i, exemption] of (def.fees?.exemptions ?? []).entries())
    checkCondition(exemption.when, `/fees/exemptions/${i}/when`)
  def.documents.forEach((doc, d) => {
    if (doc.field && fieldsSoFar.get(doc.field)?.type !== 'file')
      problems.push({ path: `/documents/${d}/field`, message: `"${doc.field}" is not a file field of the form` })
  })
  const states = new Set(def.workflow.states.map(s => s.id))
  if (!states.has(def.workflow.initial))
    problems.push({ path: '/workflow/initial', message: `unknown state "${def.workflow.initial}"` })
  def.workflow.transitions.forEach((t, i) => {
    for (const [j, from] of t.from.entries())
      if (!states.has(from))
        problems.push({ path: `/workflow/transitions/${i}/from/${j}`, message: `unknown state "${from}"` })
    if (!states.has(t.to)) problems.push({ path: `/workflow/transitions/${i}/to`, message: `unknown state "${t.to}"` })
    if (t.requiresPayment && !def.fees)
      problems.push({ path: `/workflow/transitions/${i}/requiresPayment`, message: 'the service has no fees' })
  })
  recurring?.whileStatus.forEach((state, i) => {
    if (!states.has(state))
      problems.push({ path: `/fees/recurring/whileStatus/${i}`, message: `unknown state "${state}"` })
  })
  const involved = new Set<string>()
  def.involvements?.forEach((suggestion, i) => {
    const at = `/involvements/${i}/office`
    if (!offices.some(o => o.id === suggestion.office))
      problems.push({ path: at, message: `unknown office "${suggestion.office}" (see services/_offices.yaml)` })
    else if (suggestion.office === def.office)
      problems.push({
        path: at,
        message: `"${suggestion.office}" is the service's own office; it is not involved, it leads`,
      })
    else if (involved.has(suggestion.office))
      problems.push({ path: at, message: `"${suggestion.office}" is suggested twice` })
    involved.add(suggestion.office)
  })
  problems.push(...checkNoticeTemplates(def, fieldsSoFar))
  if (def.report) problems.push(...checkReportSection(def.report, offices))
  if (def.routing && !['text', 'textarea'].includes(fieldsSoFar.get(def.routing.textField)?.type ?? '')) {
    problems.push({
      path: '/routing/textField',
      message: `"${def.routing.textField}" is not a text or textarea field of the form`,
    })
  }
  return problems
}
