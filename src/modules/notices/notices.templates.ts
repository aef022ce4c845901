import { PLACEHOLDER, type Field, type NoticeTemplate, type ServiceDefinition } from '../catalogue/index.js'
import { formatAnswer, type AnswerValue } from '../forms/index.js'
import { formatDate, formatDateTime, todayInGermany, type Locale } from '../../platform/i18n/i18n.js'
import type { CaseRecord } from '../cases/index.js'

export interface TemplateSource {
  /** The definition the case was made with: its fields format the answers. */
  caseDefinition: ServiceDefinition
  /** The definition whose templates are offered (the case's own, or the current one if the case's has none). */
  templateDefinition: ServiceDefinition
}

/** Templates offered on a case: those of the case's version, else those of the service as it is now. */
export function templatesOf(source: TemplateSource): NoticeTemplate[] {
  return source.caseDefinition.notices?.length
    ? source.caseDefinition.notices
    : (source.templateDefinition.notices ?? [])
}

export interface FillContext extends TemplateSource {
  caseRecord: CaseRecord
  officeName: string
  locale: Locale
  today?: string
}

/** The template's text in the language with every placeholder replaced by the case's data, formatted as the case view shows it. */
export function fillTemplate(text: string, ctx: FillContext): string {
  const fieldOf = (id: string): Field | undefined =>
    findField(ctx.caseDefinition, id) ?? findField(ctx.templateDefinition, id)
  const c = ctx.caseRecord
  const l = ctx.locale
  return text.replace(PLACEHOLDER, (raw, name: string) => {
    switch (name) {
      case 'case.reference':
        return c.reference
      case 'case.submittedAt':
        return formatDateTime(c.submittedAt, l)
      case 'applicant.name':
        return c.applicantName
      case 'today':
        return formatDate(ctx.today ?? todayInGermany(), l)
      case 'office.name':
        return ctx.officeName
      case 'service.title':
        return ctx.caseDefinition.title[l]
    }
    if (name.startsWith('answers.')) {
      const field = fieldOf(name.slice('answers.'.length))
      // The loader refuses unknown fields; an answer the case does not have reads as a dash.
      return field ? formatAnswer(field, c.answers[field.id] as AnswerValue | undefined, l) : '–'
    }
    return raw
  })
}

function findField(definition: ServiceDefinition, id: string): Field | undefined {
  for (const page of definition.form.pages) for (const field of page.fields) if (field.id === id) return field
  return undefined
}

/**
 * Whether a notice from the template may be drafted or signed while the case is in `status`: never in a final state
 * (the case is decided; a notice then would reopen it outside the workflow), and where the template lists its
 * states, only in those. A template no longer in the definition falls under the first rule alone.
 */
export function isNoticeAllowedIn(
  definition: ServiceDefinition,
  template: NoticeTemplate | undefined,
  status: string,
): boolean {
  if (definition.workflow.states.find(s => s.id === status)?.final) return false
  return !template?.states || template.states.includes(status)
}
