import fs from 'node:fs'
import path from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { ConfigFileError, readYamlConfig } from '../../platform/config-file.js'
import {
  ConditionSchema,
  DefinitionError,
  TextSchema,
  type Field,
  type OfflineEntry,
  type ServiceDefinition,
} from '../catalogue/index.js'

const Id = Type.String({ pattern: '^[a-z][a-zA-Z0-9_-]*$', maxLength: 80 })

/** What usually comes next after an event in a person's own applications (services/_life-events.yaml). */
const LifeEventRule = Type.Object(
  {
    id: Id,
    event: Type.Object(
      {
        /** The online service whose case is the event. */
        service: Id,
        /** From when the event counts: the application was sent, or the office completed it (approved). */
        counts: Type.Union([Type.Literal('submitted'), Type.Literal('completed')]),
        /** A condition on the event case's answers, in the form's own language (`showIf`). */
        when: Type.Optional(ConditionSchema),
      },
      { additionalProperties: false },
    ),
    /** An online service or an entry of services/_offline.yaml. */
    suggest: Id,
    /** Why the suggestion appears; placeholders {service}, {date}, {reference} name the event. */
    reason: TextSchema,
    /** How many days after the event the suggestion stays. */
    relevantForDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  },
  { additionalProperties: false },
)
const LifeEventRules = Type.Array(LifeEventRule)
export type LifeEventRule = Static<typeof LifeEventRule>

const LIFE_EVENTS_FILE = '_life-events.yaml'
const REASON_PLACEHOLDERS = ['service', 'date', 'reference'] as const

/**
 * Reads services/_life-events.yaml and checks it against the services: the event's service exists online, the
 * condition names a field of that service (and one of its options), the suggested service exists online or offline,
 * and the reasons use only the known placeholders. No file, no rules. Problems name the file and the path.
 */
export function loadLifeEvents(
  servicesDir: string,
  services: readonly ServiceDefinition[],
  offline: readonly OfflineEntry[],
): LifeEventRule[] {
  const file = path.join(servicesDir, LIFE_EVENTS_FILE)
  const label = `services/${LIFE_EVENTS_FILE}`
  if (!fs.existsSync(file)) return []
  let rules: LifeEventRule[]
  try {
    rules = readYamlConfig(file, LifeEventRules)
  } catch (error) {
    if (error instanceof ConfigFileError) throw new DefinitionError(error.problems.map(p => `${label}: ${p}`))
    throw error
  }
  const problems = checkLifeEvents(rules, services, offline).map(p => `${label}: ${p.path}: ${p.message}`)
  if (problems.length) throw new DefinitionError(problems)
  return rules
}

function checkLifeEvents(
  rules: LifeEventRule[],
  services: readonly ServiceDefinition[],
  offline: readonly OfflineEntry[],
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  const seen = new Set<string>()
  rules.forEach((rule, i) => {
    const at = `/${i}`
    if (seen.has(rule.id)) problems.push({ path: `${at}/id`, message: `"${rule.id}" is used twice` })
    seen.add(rule.id)
    const event = services.find(s => s.id === rule.event.service)
    if (!event)
      problems.push({ path: `${at}/event/service`, message: `"${rule.event.service}" is not an online service` })
    if (rule.event.when && event) {
      const fields = new Map<string, Field>(event.form.pages.flatMap(p => p.fields.map(f => [f.id, f] as const)))
      const cond = rule.event.when
      const target = fields.get(cond.field)
      if (!target)
        problems.push({
          path: `${at}/event/when/field`,
          message: `"${cond.field}" is not a field of service "${event.id}"`,
        })
      else if (target.options) {
        for (const v of [cond.equals, ...(cond.in ?? [])].filter(v => v !== undefined).map(String))
          if (!target.options.some(o => o.value === v))
            problems.push({ path: `${at}/event/when`, message: `"${v}" is not an option of field "${cond.field}"` })
      }
      if (cond.equals === undefined && !cond.in)
        problems.push({ path: `${at}/event/when`, message: 'needs "equals" or "in"' })
    }
    if (!services.some(s => s.id === rule.suggest) && !offline.some(o => o.id === rule.suggest))
      problems.push({
        path: `${at}/suggest`,
        message: `"${rule.suggest}" is neither an online service nor an entry of services/_offline.yaml`,
      })
    else if (rule.suggest === rule.event.service)
      problems.push({ path: `${at}/suggest`, message: 'a service does not suggest itself' })
    for (const language of ['de', 'en'] as const)
      for (const [, name] of rule.reason[language].matchAll(/\{(\w*)\}/g))
        if (!(REASON_PLACEHOLDERS as readonly string[]).includes(name ?? ''))
          problems.push({
            path: `${at}/reason/${language}`,
            message: `unknown placeholder {${name}} (known: ${REASON_PLACEHOLDERS.map(p => `{${p}}`).join(', ')})`,
          })
  })
  return problems
}
