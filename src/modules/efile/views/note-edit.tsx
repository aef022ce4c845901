import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import {
  Alert,
  BackLink,
  CsrfField,
  ErrorSummary,
  SubmitButton,
  type FieldError,
} from '../../../platform/views/components.js'
import { formatDateTime } from '../../../platform/i18n/i18n.js'
import type { CurrentNote } from '../efile.errors.js'

export interface NoteEditState {
  text: string
  /** The version the text was written on; sent back, so a save on top of someone else's newer version is noticed. */
  basedOnVersion: number
  errors: FieldError[]
  /** Someone saved this version while the form was open: shown next to what the user typed. */
  conflict?: CurrentNote
}

export function NoteEditPage({
  ctx,
  caseId,
  reference,
  documentId,
  title,
  form,
}: {
  ctx: PageContext
  caseId: string
  reference: string
  documentId: string
  title: string
  form: NoteEditState
}) {
  const { t } = ctx
  const fileBase = `/backoffice/cases/${caseId}/file`
  const error = form.errors.find(e => e.fieldId === 'text')?.message
  const describedBy = ['text-hint', error ? 'text-error' : ''].filter(Boolean).join(' ')
  const conflict = form.conflict
  return (
    <Layout
      ctx={ctx}
      title={`${form.errors.length || conflict ? `${t.text('forms.errorPrefix')} ` : ''}${t.text('efile.note.editTitle')} – ${reference}`}
      area="backoffice"
    >
      <BackLink href={`${fileBase}#doc-${documentId}`} label={t.text('efile.note.backToFile', { reference })} />
      <ErrorSummary ctx={ctx} errors={form.errors} />
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>{`${reference} · ${title}`}</p>
          <h1 class="kern-heading-large">{t('efile.note.editTitle')}</h1>
        </hgroup>
        {conflict ? (
          <>
            <Alert kind="danger" title={t.text('efile.note.conflictTitle')}>
              <p class="kern-body">
                {t('efile.note.conflictBody', {
                  version: conflict.version,
                  name: conflict.createdByName ?? t.text('efile.author.system'),
                  at: formatDateTime(conflict.createdAt, ctx.locale),
                })}
              </p>
            </Alert>
            <section class="stack" aria-labelledby="theirs-title">
              <h2 class="kern-heading-medium" id="theirs-title">
                {t('efile.note.theirs', { version: conflict.version })}
              </h2>
              <blockquote class="kern-body efile-theirs preserve-lines" safe>
                {conflict.text}
              </blockquote>
            </section>
          </>
        ) : (
          ''
        )}
        <form method="post" action={`${fileBase}/documents/${documentId}`} class="stack" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="basedOnVersion" value={String(form.basedOnVersion)} />
          <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="text">
              {conflict ? t('efile.note.yours') : t('efile.note.label')}
            </label>
            <div class="kern-hint" id="text-hint">
              {t('efile.note.hint')}
            </div>
            {error ? (
              <p class="kern-error" id="text-error" role="alert">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
                <span class="kern-body" safe>
                  {error}
                </span>
              </p>
            ) : (
              ''
            )}
            <textarea
              class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
              id="text"
              name="text"
              rows="8"
              aria-describedby={describedBy}
              aria-invalid={error ? 'true' : undefined}
              safe
            >
              {form.text}
            </textarea>
          </div>
          <SubmitButton label={t.text(conflict ? 'efile.note.saveAnyway' : 'efile.note.save')} />
        </form>
      </div>
    </Layout>
  )
}
