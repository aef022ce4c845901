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
import { formatDate, formatDateTime } from '../../../platform/i18n/i18n.js'
import type { MessageRow } from '../postbox.queries.js'

export function PostboxPage({ ctx, messages, unread }: { ctx: PageContext; messages: MessageRow[]; unread: number }) {
  const { t } = ctx
  const l = ctx.locale
  return (
    <Layout ctx={ctx} title={t.text('postbox.list.title')}>
      <div class="stack">
        <h1 class="kern-heading-large">{t('postbox.list.title')}</h1>
        <p class="kern-body">
          {t(unread === 1 ? 'postbox.list.unreadOne' : 'postbox.list.unreadCount', { count: unread })}
        </p>
        {messages.length === 0 ? (
          <p class="kern-body">{t('postbox.list.empty')}</p>
        ) : (
          <ul class="kern-list postbox-list">
            {messages.map(m => (
              <li>
                {m.readAt ? (
                  <a class="kern-link" href={`/account/postbox/${m.id}`} safe>
                    {m.subject}
                  </a>
                ) : (
                  <strong>
                    <a class="kern-link" href={`/account/postbox/${m.id}`} safe>
                      {m.subject}
                    </a>
                  </strong>
                )}
                {m.readAt ? (
                  ''
                ) : (
                  <>
                    {' '}
                    <span class="kern-badge kern-badge--warning">{t('postbox.list.unread')}</span>
                  </>
                )}
                {m.requestsDocuments && !m.documentsProvidedAt ? (
                  <>
                    {' '}
                    <span class="kern-badge kern-badge--danger">{t('postbox.list.documentsRequested')}</span>
                  </>
                ) : (
                  ''
                )}
                <br />
                <span class="kern-hint" safe>{`${m.reference} · ${formatDateTime(m.createdAt, l)}`}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Layout>
  )
}

export interface ReplyFormState {
  errors: FieldError[]
  body?: string
}

export function MessagePage({
  ctx,
  message,
  files,
  needsDocuments,
  form,
  parts,
}: {
  ctx: PageContext
  message: MessageRow
  files: { id: string; filename: string }[]
  needsDocuments: boolean
  form?: ReplyFormState
  /** What features show for this message (payments: "pay now" for the fee notice it delivers), rendered. */
  parts: JSX.Element[]
}) {
  const { t } = ctx
  const l = ctx.locale
  const errors = form?.errors ?? []
  const bodyError = errors.find(e => e.fieldId === 'body')?.message
  const filesError = errors.find(e => e.fieldId === 'documents')?.message
  return (
    <Layout
      ctx={ctx}
      title={`${errors.length ? `${t.text('forms.errorPrefix')} ` : ''}${message.subject} – ${t.text('postbox.list.title')}`}
    >
      <BackLink href="/account/postbox" label={t.text('postbox.message.back')} />
      <ErrorSummary ctx={ctx} errors={errors} />
      <div class="stack">
        <hgroup class="kern-hgroup">
          <p class="kern-preline" safe>{`${message.reference} · ${formatDateTime(message.createdAt, l)}`}</p>
          <h1 class="kern-heading-large" safe>
            {message.subject}
          </h1>
        </hgroup>
        <p class="kern-body message-body preserve-lines" safe>
          {message.body}
        </p>
        {files.length ? (
          <ul class="kern-list">
            {files.map(f => (
              <li>
                <a class="kern-link" href={`/account/files/${f.id}`} safe>
                  {f.filename}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          ''
        )}
        {parts}
        {message.requestsDocuments && !message.documentsProvidedAt && message.documentsDueOn ? (
          <Alert
            kind="warning"
            title={t.text('postbox.message.documentsDueOn', { date: formatDate(message.documentsDueOn, l) })}
          />
        ) : (
          ''
        )}
        {message.requestsDocuments && message.documentsProvidedAt ? (
          <Alert
            kind="success"
            title={t.text('postbox.message.documentsReceived', {
              date: formatDateTime(message.documentsProvidedAt, l),
            })}
          />
        ) : (
          ''
        )}
        <p class="kern-body">
          <a class="kern-link" href={`/account/applications/${message.caseId}`}>
            {t('postbox.message.toApplication')}
          </a>
        </p>
        <section class="stack" aria-labelledby="reply-title">
          <h2 class="kern-heading-medium" id="reply-title">
            {t(needsDocuments ? 'postbox.reply.documentsTitle' : 'postbox.reply.title')}
          </h2>
          {needsDocuments ? <p class="kern-body">{t('postbox.reply.documentsIntro')}</p> : ''}
          <form
            method="post"
            action={`/account/postbox/${message.id}/reply`}
            enctype="multipart/form-data"
            class="stack"
            novalidate
          >
            <CsrfField ctx={ctx} />
            <div class={`kern-form-input${bodyError ? ' kern-form-input--error' : ''}`}>
              <label class="kern-label" for="body">
                {t(needsDocuments ? 'postbox.reply.bodyOptional' : 'postbox.reply.body')}
              </label>
              {bodyError ? (
                <p class="kern-error" id="body-error" role="alert">
                  <span class="kern-body" safe>
                    {bodyError}
                  </span>
                </p>
              ) : (
                ''
              )}
              <textarea
                class="kern-form-input__input"
                id="body"
                name="body"
                rows="6"
                aria-describedby={bodyError ? 'body-error' : undefined}
                aria-invalid={bodyError ? 'true' : undefined}
                safe
              >
                {form?.body ?? ''}
              </textarea>
            </div>
            <div class={`kern-form-input${filesError ? ' kern-form-input--error' : ''}`}>
              <label class="kern-label" for="documents">
                {t(needsDocuments ? 'postbox.reply.documents' : 'postbox.reply.attachments')}
              </label>
              <div class="kern-hint" id="documents-hint">
                {t('postbox.reply.filesHint')}
              </div>
              {filesError ? (
                <p class="kern-error" id="documents-error" role="alert">
                  <span class="kern-body" safe>
                    {filesError}
                  </span>
                </p>
              ) : (
                ''
              )}
              {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: tells screen readers the office asks for documents; a native required would replace our translated error message with the browser's */}
              <input
                class="kern-form-input__input"
                type="file"
                id="documents"
                name="documents"
                multiple
                accept="application/pdf,image/jpeg,image/png"
                aria-describedby={filesError ? 'documents-hint documents-error' : 'documents-hint'}
                aria-required={needsDocuments ? 'true' : undefined}
              />
            </div>
            <SubmitButton label={t.text('postbox.reply.send')} />
          </form>
        </section>
      </div>
    </Layout>
  )
}
