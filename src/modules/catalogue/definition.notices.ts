import type { Field, ServiceDefinition } from './definition.schema.js'

/**
 * Placeholders a notice template may use. `answers.<fieldId>` names a field of the form; the others are fixed.
 * Kept with the definition so the start refuses a template that could not be filled.
 */
export const NOTICE_PLACEHOLDERS = [
  'case.reference',
  'case.submittedAt',
  'applicant.name',
  'today',
  'office.name',
  'service.title',
] as const

/** `{{ name }}`; anything else between double braces is a mistake in the template. */
export const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/** Every placeholder of a template text, in order, with what it names. */
export function placeholdersOf(text: string): { raw: string; name: string }[] {
  return [...text.matchAll(PLACEHOLDER)].map(m => ({ raw: m[0], name: m[1] ?? '' }))
}

/** Fields whose answers can be written into a letter (a file upload cannot). */
export function isWritableField(field: Field): boolean {
  return field.type !== 'file'
}

/** Template ids unique, every placeholder known, every `answers.*` a field of the form, every listed state open. */
export function checkNoticeTemplates(
  def: ServiceDefinition,
  fields: Map<string, Field>,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  const ids = new Set<string>()
  def.notices?.forEach((template, i) => {
    if (ids.has(template.id))
      problems.push({ path: `/notices/${i}/id`, message: `notice template id "${template.id}" is used twice` })
    ids.add(template.id)
    template.states?.forEach((stateId, j) => {
      const state = def.workflow.states.find(s => s.id === stateId)
      if (!state) problems.push({ path: `/notices/${i}/states/${j}`, message: `unknown workflow state "${stateId}"` })
      else if (state.final)
        problems.push({
          path: `/notices/${i}/states/${j}`,
          message: `"${stateId}" is a final state: a decided case takes no notice`,
        })
    })
    for (const locale of ['de', 'en'] as const) {
      for (const at of ['title', 'body'] as const) {
        const text = template[at][locale]
        for (const { raw, name } of placeholdersOf(text)) {
          const problem = placeholderProblem(name, raw, fields)
          if (problem) problems.push({ path: `/notices/${i}/${at}/${locale}`, message: problem })
        }
        // A brace pair left over (`{{answers.x}` or `{answers.x}}`) would be printed as it stands.
        const rest = text.replace(PLACEHOLDER, '')
        if (/\{\{|\}\}/.test(rest))
          problems.push({ path: `/notices/${i}/${at}/${locale}`, message: 'unbalanced "{{" or "}}"' })
      }
    }
  })
  return problems
}

function placeholderProblem(name: string, raw: string, fields: Map<string, Field>): string | null {
  if ((NOTICE_PLACEHOLDERS as readonly string[]).includes(name)) return null
  if (name.startsWith('answers.')) {
    const fieldId = name.slice('answers.'.length)
    const field = fields.get(fieldId)
    if (!field) return `unknown placeholder ${raw}: the form has no field "${fieldId}"`
    if (!isWritableField(field))
      return `placeholder ${raw}: "${fieldId}" is a file field, its answer cannot be written into a notice`
    return null
  }
  return `unknown placeholder ${raw} (known: ${[...NOTICE_PLACEHOLDERS, 'answers.<fieldId>'].map(p => `{{${p}}}`).join(', ')})`
}
