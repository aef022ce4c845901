import { Layout } from '../../../platform/views/layout.js'
import type { PageContext } from '../../../platform/views/page-context.js'
import { Alert, BackLink, CsrfField, SubmitButton } from '../../../platform/views/components.js'
import { formatDateTime, type Translate } from '../../../platform/i18n/i18n.js'
import type { NoticeCommentRow, NoticeDraftRow } from '../notices.queries.js'
import { NoticeStatusBadge } from './notice-section.js'

export interface NoticePageProps {
  ctx: PageContext
  caseId: string
  caseReference: string
  serviceTitle: string
  leadOfficeName: string
  draft: NoticeDraftRow
  /** Only the lead office edits, signs and discards; a consulted office reads and comments. */
  canEdit: boolean
  comments: NoticeCommentRow[]
  /** The office names by id, for the comments' authors. */
  officeName: (officeId: string) => string
  /** Why the comment was not posted, and what was typed. */
  commentError?: string
  typedComment?: string
  /** The live editor's start: the document's state; none on a signed, discarded or conflicting page. */
  editor: { state: string; scriptSrc: string } | null
  /** A form saved on an older version: what the person typed, next to the draft as it is now. */
  conflict?: { yourText: string }
  /** The text typed when it could not be saved for another reason (too long). */
  textError?: string
  typedText?: string
  saved?: boolean
  /** Why the notice could not be signed (changed meanwhile, passages left to complete). */
  signError?: string
}

export function NoticePage(props: NoticePageProps) {
  const { ctx, draft, conflict } = props
  const { t } = ctx
  const caseUrl = `/backoffice/cases/${props.caseId}`
  const base = `${caseUrl}/notices/${draft.id}`
  const errorPrefix =
    conflict || props.textError || props.signError || props.commentError ? `${t.text('forms.errorPrefix')} ` : ''
  return (
    <Layout ctx={ctx} title={`${errorPrefix}${draft.title} – ${props.caseReference}`} area="backoffice">
      <BackLink
        href={`${caseUrl}#notices`}
        label={t.text('notices.page.backToCase', { reference: props.caseReference })}
      />
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>{`${props.caseReference} · ${props.serviceTitle}`}</p>
          <h1 class="kern-heading-large" safe>
            {draft.title}
          </h1>
        </hgroup>
        <p class="kern-body">
          <NoticeStatusBadge status={draft.status} t={t} />{' '}
          <span class="kern-hint" safe>
            {t.text('notices.page.meta', {
              language: draft.locale === 'de' ? 'Deutsch' : 'English',
              created: formatDateTime(draft.createdAt, ctx.locale),
              creator: draft.createdByName ?? '–',
              updated: formatDateTime(draft.updatedAt, ctx.locale),
              editor: draft.updatedByName ?? '–',
            })}
          </span>
        </p>
        {props.saved ? <Alert kind="success" title={t.text('notices.page.saved')} /> : ''}
        {props.signError ? (
          <Alert kind="danger" title={t.text('notices.errors.notSigned')}>
            <p class="kern-body" safe>
              {props.signError}
            </p>
          </Alert>
        ) : (
          ''
        )}
        {draft.status === 'signed' ? <SignedNotice {...props} base={caseUrl} /> : ''}
        {draft.status === 'discarded' ? <Alert kind="warning" title={t.text('notices.page.discarded')} /> : ''}
        {draft.status === 'discarded' ? (
          <div class="kern-body notice-text" safe>
            {draft.body}
          </div>
        ) : (
          ''
        )}
        {draft.status === 'draft' && props.canEdit ? <DraftEditor {...props} base={base} /> : ''}
        {draft.status === 'draft' && !props.canEdit ? <DraftForReaders {...props} /> : ''}
        <NoticeComments {...props} base={base} />
      </div>
    </Layout>
  )
}

function SignedNotice({ ctx, draft, base }: NoticePageProps & { base: string }) {
  const { t } = ctx
  return (
    <>
      <Alert
        kind="success"
        title={t.text('notices.page.signed', {
          name: draft.signedByName ?? '–',
          date: draft.signedAt ? formatDateTime(draft.signedAt, ctx.locale) : '–',
        })}
      >
        {draft.fileId ? (
          <p class="kern-body">
            <a class="kern-link" href={`${base}/files/${draft.fileId}`}>
              {t('notices.page.download')}
            </a>
          </p>
        ) : (
          ''
        )}
      </Alert>
      <section class="stack" aria-labelledby="notice-signed-text">
        <h2 class="kern-heading-medium" id="notice-signed-text">
          {t('notices.page.signedText')}
        </h2>
        <div class="kern-body notice-text" safe>
          {draft.body}
        </div>
      </section>
    </>
  )
}

/** A consulted office sees the draft as it stands and is told how it takes part: by comments, not by editing. */
function DraftForReaders({ ctx, draft, leadOfficeName }: NoticePageProps) {
  const { t } = ctx
  return (
    <section class="stack" aria-labelledby="notice-read-title">
      <h2 class="kern-heading-medium" id="notice-read-title">
        {t('notices.page.textLabel')}
      </h2>
      <p class="kern-body" id="notice-lead-only">
        {t('notices.page.readOnly', { office: leadOfficeName })}
      </p>
      <div class="kern-body notice-text" safe>
        {draft.body}
      </div>
    </section>
  )
}

/** Comments on the draft: the consulted offices' way to ask for changes, shown to the lead office. */
function NoticeComments(props: NoticePageProps & { base: string }) {
  const { ctx, draft, comments, base, commentError } = props
  const { t } = ctx
  if (draft.status !== 'draft' && comments.length === 0) return <></>
  return (
    <section class="stack" aria-labelledby="notice-comments-title" id="notice-comments">
      <h2 class="kern-heading-medium" id="notice-comments-title">
        {t('notices.comments.title')}
      </h2>
      {comments.length === 0 ? (
        <p class="kern-body">{t('notices.comments.none')}</p>
      ) : (
        <ul class="kern-list notice-comments">
          {comments.map(c => (
            <li class="stack">
              <p class="kern-hint" safe>
                {t.text('notices.comments.meta', {
                  name: c.staffName,
                  office: props.officeName(c.officeId),
                  date: formatDateTime(c.createdAt, ctx.locale),
                })}
              </p>
              <div class="kern-body notice-text" safe>
                {c.body}
              </div>
            </li>
          ))}
        </ul>
      )}
      {draft.status === 'draft' ? (
        <form method="post" action={`${base}/comments`} class="stack" id="notice-comment-form" novalidate>
          <CsrfField ctx={ctx} />
          <div class={`kern-form-input${commentError ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="notice-comment">
              {t('notices.comments.label')}
            </label>
            <div class="kern-hint" id="notice-comment-hint">
              {t(props.canEdit ? 'notices.comments.hintLead' : 'notices.comments.hintConsulted')}
            </div>
            {commentError ? (
              <p class="kern-error" id="notice-comment-error" role="alert">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
                <span class="kern-body" safe>
                  {commentError}
                </span>
              </p>
            ) : (
              ''
            )}
            <textarea
              class={`kern-form-input__input${commentError ? ' kern-form-input__input--error' : ''}`}
              id="notice-comment"
              name="comment"
              rows="4"
              aria-describedby={commentError ? 'notice-comment-hint notice-comment-error' : 'notice-comment-hint'}
              aria-invalid={commentError ? 'true' : undefined}
              safe
            >
              {props.typedComment ?? ''}
            </textarea>
          </div>
          <SubmitButton label={t.text('notices.comments.submit')} variant="secondary" />
        </form>
      ) : (
        ''
      )}
    </section>
  )
}

function DraftEditor(props: NoticePageProps & { base: string }) {
  const { ctx, draft, conflict, editor, base } = props
  const { t } = ctx
  const textError = props.textError
  const describedBy = ['notice-text-hint', textError ? 'notice-text-error' : ''].filter(Boolean).join(' ')
  return (
    <>
      {conflict ? (
        <Alert kind="danger" title={t.text('notices.conflict.title')}>
          <p class="kern-body">
            {t('notices.conflict.body', {
              name: draft.updatedByName ?? '–',
              date: formatDateTime(draft.updatedAt, ctx.locale),
            })}
          </p>
        </Alert>
      ) : (
        ''
      )}
      {conflict ? (
        <section class="stack" aria-labelledby="notice-stored-title">
          <h2 class="kern-heading-medium" id="notice-stored-title">
            {t('notices.conflict.stored')}
          </h2>
          <div class="kern-body notice-text notice-text--stored" id="notice-stored" safe>
            {draft.body}
          </div>
        </section>
      ) : (
        ''
      )}
      <div class="stack notice-editor" {...editorAttributes(props)}>
        <p class="kern-body notice-presence" id="notice-presence" hidden>
          <span class="kern-label">{t('notices.presence.label')}</span>{' '}
          <span id="notice-presence-names">{t('notices.presence.nobody')}</span>
        </p>
        <div class="kern-sr-only" aria-live="polite" id="notice-announcer"></div>
        <form method="post" action={base} class="stack" id="notice-form" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="version" value={String(draft.version)} />
          <div class={`kern-form-input${textError ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="notice-text">
              {conflict ? t('notices.conflict.yours') : t('notices.page.textLabel')}
            </label>
            <div class="kern-hint" id="notice-text-hint">
              {t(conflict ? 'notices.conflict.yoursHint' : 'notices.page.textHint')}
            </div>
            {textError ? (
              <p class="kern-error" id="notice-text-error" role="alert">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
                <span class="kern-body" safe>
                  {textError}
                </span>
              </p>
            ) : (
              ''
            )}
            <textarea
              class={`kern-form-input__input notice-textarea${textError ? ' kern-form-input__input--error' : ''}`}
              id="notice-text"
              name="text"
              rows="24"
              spellcheck="true"
              lang={draft.locale}
              aria-describedby={describedBy}
              aria-invalid={textError ? 'true' : undefined}
              safe
            >
              {conflict ? conflict.yourText : (props.typedText ?? draft.body)}
            </textarea>
          </div>
          <p class="kern-hint" id="notice-sync-status" hidden></p>
          <SubmitButton
            label={t.text(conflict ? 'notices.conflict.saveMine' : 'notices.page.save')}
            variant="secondary"
          />
        </form>
      </div>
      <section class="stack" aria-labelledby="notice-sign-title">
        <h2 class="kern-heading-medium" id="notice-sign-title">
          {t('notices.sign.title')}
        </h2>
        <p class="kern-body">{t('notices.preview.explanation')}</p>
        {/* A GET form, not a link: the live editor keeps every "version" field current, so the preview is of the text as it stands. */}
        <form method="get" action={`${base}/preview`} id="notice-preview-form">
          <input type="hidden" name="version" value={String(draft.version)} />
          <SubmitButton label={t.text('notices.preview.open')} variant="secondary" />
        </form>
        <form method="post" action={`${base}/sign`} class="stack" id="notice-sign-form">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="version" value={String(draft.version)} />
          <p class="kern-body">{t('notices.sign.explanation', { office: props.leadOfficeName })}</p>
          <SubmitButton label={t.text('notices.sign.submit')} />
        </form>
        <form method="post" action={`${base}/discard`}>
          <CsrfField ctx={ctx} />
          <SubmitButton label={t.text('notices.page.discard')} variant="tertiary" />
        </form>
      </section>
      {editor ? <script src={editor.scriptSrc} defer></script> : ''}
    </>
  )
}

/** What the browser script needs: where to talk to, what it starts from, and its sentences in the reader's language. */
function editorAttributes({ ctx, draft, editor, base }: NoticePageProps & { base: string }): Record<string, string> {
  if (!editor) return {}
  const t: Translate = ctx.t
  return {
    'data-notice-editor': '',
    'data-base': base,
    'data-csrf': ctx.csrfToken,
    'data-staff-id': ctx.staff?.id ?? '',
    'data-state': editor.state,
    'data-last-update-id': String(draft.lastUpdateId),
    'data-version': String(draft.version),
    'data-office-locale': ctx.locale,
    'data-text-nobody': t.text('notices.presence.nobody'),
    'data-text-line': t.text('notices.presence.line'),
    'data-text-edited': t.text('notices.presence.edited'),
    'data-text-joined': t.text('notices.presence.joined'),
    'data-text-left': t.text('notices.presence.left'),
    'data-text-someone': t.text('notices.presence.someone'),
    'data-text-saving': t.text('notices.sync.saving'),
    'data-text-saved': t.text('notices.sync.saved'),
    'data-text-offline': t.text('notices.sync.offline'),
    'data-text-refused': t.text('notices.sync.refused'),
    'data-text-closed': t.text('notices.sync.closed'),
  }
}
