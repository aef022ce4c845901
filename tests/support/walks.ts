import type { Condition, Field, ServiceDefinition } from '../../src/modules/catalogue/definition.schema.js'
import {
  isConditionMet,
  visibleFields,
  visiblePages,
  type Answers,
  type AnswerValue,
} from '../../src/modules/forms/forms.answers.js'
import { pageForm } from './autofill.js'

/** One way through a form: the answers that differ from the first valid choice of each field. */
export interface Walk {
  overrides: Record<string, string | string[]>
  reveals: string[]
}

/** A condition of the definition, named the way a failure message should name it. */
interface NamedCondition {
  name: string
  condition: Condition
}

function conditionsOf(definition: ServiceDefinition): NamedCondition[] {
  return definition.form.pages.flatMap(page => [
    ...(page.showIf ? [{ name: `page ${page.id}`, condition: page.showIf }] : []),
    ...page.fields.filter(f => f.showIf).map(f => ({ name: `field ${f.id}`, condition: f.showIf! })),
  ])
}

const fieldsOf = (definition: ServiceDefinition) =>
  new Map(definition.form.pages.flatMap(p => p.fields).map(f => [f.id, f]))

/** The answers that meet a condition, in the shape the controlling field posts. */
function revealingValues(condition: Condition, controller: Field): AnswerValue[] {
  const asPosted = (v: string): AnswerValue => (controller.type === 'checkbox' && controller.options ? [v] : v)
  if (condition.equals === true) return ['yes']
  if (condition.equals === false) return ['']
  if (condition.equals !== undefined) return [asPosted(String(condition.equals))]
  return (condition.in ?? []).map(asPosted)
}

/** The answers a person gives walking the form with these overrides and the first valid choice everywhere else. */
function simulateWalk(definition: ServiceDefinition, overrides: Record<string, string | string[]>): Answers {
  // Pages appear as earlier answers are given, so each page's condition is read against the answers before it.
  return definition.form.pages.reduce(
    (answers, page) => (isConditionMet(page.showIf, answers) ? pageForm(page, answers, overrides).answers : answers),
    {} as Answers,
  )
}

/** Whether a walk shows what the condition guards: the condition is met where it is asked. */
function reveals(definition: ServiceDefinition, answers: Answers, named: NamedCondition): boolean {
  if (!isConditionMet(named.condition, answers)) return false
  const [kind, id] = named.name.split(' ') as ['page' | 'field', string]
  const pages = visiblePages(definition, answers)
  if (kind === 'page') return pages.some(p => p.id === id)
  return pages.some(p => visibleFields(p, answers).some(f => f.id === id))
}

/**
 * The fewest walks (greedily) such that every condition of the form is met at least once, so every conditional page
 * and follow-up question is reached. A condition no walk can meet is an error in the definition or in this planner.
 */
export function planWalks(definition: ServiceDefinition): Walk[] {
  const fields = fieldsOf(definition)
  const open = conditionsOf(definition)
  const walks: Walk[] = []
  for (;;) {
    const overrides: Record<string, string | string[]> = {}
    for (const { condition } of open) {
      if (overrides[condition.field] !== undefined) continue
      const controller = fields.get(condition.field)!
      // The answer that reveals the most open conditions on this field at once.
      const candidates = revealingValues(condition, controller)
      const score = (v: AnswerValue) =>
        open.filter(o => o.condition.field === condition.field && isConditionMet(o.condition, { [condition.field]: v }))
          .length
      overrides[condition.field] = [...candidates].sort((a, b) => score(b) - score(a))[0] as string | string[]
    }
    const answers = simulateWalk(definition, overrides)
    const revealed = open.filter(named => reveals(definition, answers, named))
    if (walks.length && !revealed.length) {
      throw new Error(`${definition.id}: no walk reaches ${open.map(o => o.name).join(', ')}`)
    }
    walks.push({ overrides, reveals: revealed.map(r => r.name) })
    for (const r of revealed) open.splice(open.indexOf(r), 1)
    if (!open.length) return walks
  }
}
