import type { Db } from '../../platform/db/database.js'
import { NotFound } from '../../platform/http/errors.js'
import type { FormInput } from '../../platform/http/form-input.js'
import { checkUpload, storeFile } from '../../platform/files/files.js'
import type { VirusScanner } from '../../platform/files/virus-scan.js'
import { todayInGermany, type Translate } from '../../platform/i18n/i18n.js'
import type { Page, ServiceDefinition } from '../catalogue/index.js'
import {
  prefilledFieldIds,
  readPageInput,
  validatePage,
  visibleFields,
  visiblePages,
  type AnswerError,
  type Answers,
} from '../forms/index.js'
import type { Draft } from './applications.drafts.js'
import { updateDraftAnswers } from './applications.queries.js'
import { describeAnswerErrors } from './applications.messages.js'
import { runPrefill } from './applications.prefill.js'
import type { PrefillState } from './applications.prefill.js'

/** Where a form page was entered from: `check` sends the person back to the check page when done. */
export type ReturnTo = 'check' | undefined

/** One visible page of a draft, with its place among the pages the answers show. */
export interface PageAt {
  page: Page
  index: number
  pages: Page[]
}

/** A page message as shown: the field it belongs to, the element it links to, the sentence. */
export interface ShownError {
  fieldId: string
  anchor: string
  message: string
}

/**
 * What sending a form page leads to: on to the next address, or the same page again with what was typed and why
 * (field errors, a follow-up question that just appeared, proposals from a text). Field errors are values here.
 */
export type FormPageOutcome =
  | { ok: true; redirect: string }
  | {
      ok: false
      status: 200 | 400 | 413
      at: PageAt
      answers: Answers
      errors: ShownError[]
      revealed?: boolean
      prefill?: PrefillState
    }

/** The page among those the answers show, or 404: a hidden or unknown page cannot be filled in. */
export function pageOf(definition: ServiceDefinition, answers: Answers, pageId: string): PageAt {
  const pages = visiblePages(definition, answers)
  const index = pages.findIndex(p => p.id === pageId)
  if (index < 0) throw new NotFound('applications.errors.pageNotFound')
  return { page: pages[index]!, index, pages }
}

/**
 * Takes what was sent for one page of a draft: reads and stores the typed answers and uploads, then says where to go.
 * `action` chooses: `save` (save and leave), `detect`/`apply` (proposals from a text; nothing is saved), else continue.
 */
export async function saveFormPage(
  db: Db,
  input: {
    draft: Draft
    definition: ServiceDefinition
    pageId: string
    form: FormInput
    returnTo: ReturnTo
    accountId: string | undefined
    t: Translate
    /** Scans each upload before it is stored. */
    scanner: VirusScanner
    now?: Date
  },
): Promise<FormPageOutcome> {
  const { draft, definition, form, returnTo, t } = input
  if (draft.caseId) return { ok: true, redirect: `/applications/${draft.id}/confirmation` }
  const { page } = pageOf(definition, draft.answers, input.pageId)
  const answers: Draft['answers'] = { ...draft.answers, ...readPageInput(page, form.values, draft.answers) }
  const action = form.values.action
  if (action === 'detect' || action === 'apply') {
    // Pre-structuring: proposals from a text, or the ticked ones filled in; the page is not saved.
    const result = await runPrefill(page, answers, form, action, t, input.scanner)
    const pages = visiblePages(definition, result.answers)
    const index = Math.max(
      0,
      pages.findIndex(p => p.id === page.id),
    )
    const error = result.state.error
    return {
      ok: false,
      status: result.status,
      at: { page, index, pages },
      answers: result.answers,
      errors: error ? [{ fieldId: error.anchor, anchor: error.anchor, message: error.message }] : [],
      prefill: result.state,
    }
  }

  const uploadErrors: AnswerError[] = []
  // A file over the upload limit (MAX_UPLOAD_BYTES) arrives cut off: said at its field, everything typed is kept.
  let tooLarge = false
  for (const cut of form.tooLarge) {
    const field = page.fields.find(f => f.id === cut.fieldName && f.type === 'file')
    if (!field) continue
    uploadErrors.push({
      fieldId: field.id,
      anchor: field.id,
      key: 'forms.error.fileTooLarge',
      params: { size: field.maxSizeMb ?? 10 },
    })
    tooLarge = true
  }
  for (const upload of form.files) {
    const field = page.fields.find(f => f.id === upload.fieldName && f.type === 'file')
    if (!field) continue
    const check = await checkUpload(input.scanner, upload.content, field.accept, field.maxSizeMb)
    if (!check.ok) {
      uploadErrors.push({ fieldId: field.id, anchor: field.id, key: check.key, params: check.params })
      continue
    }
    answers[field.id] = await storeFile(db, {
      content: upload.content,
      filename: upload.filename,
      mediaType: check.mediaType,
      draftId: draft.id,
      accountId: input.accountId,
      staffId: draft.filedByStaffId,
    })
  }
  for (const field of page.fields)
    if (field.type === 'file' && answers[field.id] === undefined) delete answers[field.id]
  await updateDraftAnswers(db, draft.id, answers)

  if (action === 'save' && !tooLarge) return { ok: true, redirect: `/applications/${draft.id}/saved` }

  const today = todayInGermany(input.now)
  // Without JavaScript a follow-up question appears only after the answer it depends on is sent:
  // show it without calling it an error, since the person has not seen it yet.
  const shownBefore = typeof form.values._shown === 'string' ? new Set(form.values._shown.split(',')) : null
  const revealed = shownBefore
    ? visibleFields(page, answers).filter(f => !shownBefore.has(f.id) && !prefilledFieldIds(answers).includes(f.id))
    : []
  const fieldErrors = validatePage(page, answers, today)
    .filter(e => !uploadErrors.some(u => u.fieldId === e.fieldId))
    .filter(e => !revealed.some(f => f.id === e.fieldId))
  const errors = [...uploadErrors, ...fieldErrors].sort(
    (a, b) => page.fields.findIndex(f => f.id === a.fieldId) - page.fields.findIndex(f => f.id === b.fieldId),
  )
  const pages = visiblePages(definition, answers)
  const index = pages.findIndex(p => p.id === page.id)
  if (errors.length || revealed.length) {
    return {
      ok: false,
      status: tooLarge ? 413 : errors.length ? 400 : 200,
      at: { page, index, pages },
      answers,
      errors: describeAnswerErrors(t, t.locale, page, errors),
      revealed: revealed.length > 0,
    }
  }
  // From the check page, go back there unless a newly shown page still needs answers.
  const next =
    returnTo === 'check'
      ? pages.find((p, i) => i > index && validatePage(p, answers, today).length > 0)
      : pages[index + 1]
  return {
    ok: true,
    redirect: next
      ? `/applications/${draft.id}/pages/${next.id}${returnTo === 'check' ? '?return=check' : ''}`
      : `/applications/${draft.id}/check`,
  }
}
