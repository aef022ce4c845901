import type { Trx } from '../../platform/db/database.js'
import { isLocale, translator, type Locale } from '../../platform/i18n/i18n.js'
import type { ServiceDefinition } from '../catalogue/index.js'
import { formatAnswer, isFileAnswer, visibleFields, visiblePages, type Answers } from '../forms/index.js'
import { fileDocument } from './efile.file.js'

const localeOf = (locale: string): Locale => (isLocale(locale) ? locale : 'de')

/**
 * The submitted answers as plain text, page by page, each answer with its field's label in the case's language:
 * what the case view shows (AnswersSummary), for the file, its search and the archive.
 */
export function submissionText(
  definition: ServiceDefinition,
  answers: Record<string, unknown>,
  locale: string,
): string {
  const l = localeOf(locale)
  const given = answers as Answers
  const sections = visiblePages(definition, given).map(page =>
    [
      page.title[l],
      ...visibleFields(page, given).map(field => `${field.label[l]}: ${formatAnswer(field, given[field.id], l)}`),
    ].join('\n'),
  )
  return [definition.title[l], ...sections].join('\n\n')
}

type Actor = { staffId?: string | null; accountId?: string | null }

/** The submitted data as the first document of a new case's file. */
export async function fileSubmission(
  trx: Trx,
  input: {
    caseId: string
    definition: ServiceDefinition
    answers: Record<string, unknown>
    locale: string
    actor: Actor
  },
) {
  const t = translator(localeOf(input.locale))
  return fileDocument(trx, {
    caseId: input.caseId,
    kind: 'submission',
    title: t.text('efile.title.submission', { service: input.definition.title[t.locale] }),
    text: submissionText(input.definition, input.answers, input.locale),
    actor: input.actor,
  })
}

/** One attachment document per file uploaded with the application, titled with its field's label. */
export async function fileSubmittedAttachments(
  trx: Trx,
  input: {
    caseId: string
    definition: ServiceDefinition
    answers: Record<string, unknown>
    locale: string
    actor: Actor
  },
) {
  const l = localeOf(input.locale)
  const given = input.answers as Answers
  for (const page of visiblePages(input.definition, given)) {
    for (const field of visibleFields(page, given)) {
      const value = given[field.id]
      if (!isFileAnswer(value)) continue
      await fileDocument(trx, {
        caseId: input.caseId,
        kind: 'attachment',
        title: `${field.label[l]}: ${value.filename}`,
        fileId: value.fileId,
        actor: input.actor,
      })
    }
  }
}
