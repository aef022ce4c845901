import crypto from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../db/database.js'
import { readFormInput } from '../http/form-input.js'
import { Layout } from '../views/layout.js'
import { sendHtml, type PageContext } from '../views/page-context.js'
import type { ExpiredSession } from './sessions.js'

/** How long a form sent after its session expired waits for its sender to sign in again. */
export const RESUME_MINUTES = 30
/** A bigger form is not kept (its text fields alone; files are never kept). */
const MAX_KEPT_BYTES = 512 * 1024
/** Posts that work without a signed-in session and so must not be caught as "session expired". */
const SIGN_IN_PATHS = ['/login', '/logout', '/backoffice/login', '/backoffice/logout', '/session/', '/language/']
/** Never kept, not even for half an hour: secrets and the old CSRF token. */
const NOT_KEPT = /password|passwort|secret|recovery|^(code|otp|totp|_csrf)$/i

export const isSignInPath = (url: string) => SIGN_IN_PATHS.some(path => url === path || url.startsWith(path))

/**
 * A form sent by a browser whose signed-in session has expired (the CSRF token was right, so it came from our page):
 * its text fields are kept for RESUME_MINUTES, bound to this browser and this person, and the answer asks to sign in
 * again, returning to /session/resume/:id, where one button sends the form once more. Files cannot be kept by a
 * browser-independent page and are asked for again.
 */
export async function answerExpiredPost(
  db: Db,
  now: Date,
  req: FastifyRequest,
  reply: FastifyReply,
  expired: ExpiredSession,
) {
  const input = await readFormInput(req, { tooLarge: 'report' })
  const fields: [string, string][] = []
  for (const [name, value] of Object.entries(input.values)) {
    if (NOT_KEPT.test(name)) continue
    for (const item of Array.isArray(value) ? value : [value]) fields.push([name, item])
  }
  const json = JSON.stringify(fields)
  const id = crypto.randomUUID()
  const kept = Buffer.byteLength(json) <= MAX_KEPT_BYTES
  if (kept) {
    await db
      .insertInto('session_resumes')
      .values({
        id,
        browser_hash: req.session?.idHash ?? expired.idHash,
        account_id: expired.accountId,
        staff_id: expired.staffId,
        action: req.url,
        multipart: req.isMultipart(),
        fields: json,
        files_dropped: input.files.length + input.tooLarge.length,
        expires_at: new Date(now.getTime() + RESUME_MINUTES * 60_000),
      })
      .execute()
  }
  const login = expired.staffId ? '/backoffice/login' : '/login'
  const signInHref = kept ? `${login}?return=${encodeURIComponent(`/session/resume/${id}`)}` : login
  const ctx = await req.server.pageContext(req)
  return sendHtml(reply, SessionExpiredPage({ ctx, signInHref, kept, staff: Boolean(expired.staffId) }), 401)
}

export interface KeptForm {
  action: string
  multipart: boolean
  fields: [string, string][]
  filesDropped: number
}

/** A kept form, only for the browser that sent it and only once the same person is signed in again. */
export async function findKeptForm(
  db: Db,
  id: string,
  who: { browserHash: string; accountId: string | null; staffId: string | null },
  now: Date,
): Promise<KeptForm | undefined> {
  const row = await db
    .selectFrom('session_resumes')
    .select(['action', 'multipart', 'fields', 'files_dropped', 'account_id', 'staff_id'])
    .where('id', '=', id)
    .where('browser_hash', '=', who.browserHash)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (!row || row.account_id !== who.accountId || row.staff_id !== who.staffId) return undefined
  return { action: row.action, multipart: row.multipart, fields: row.fields, filesDropped: row.files_dropped }
}

function SessionExpiredPage({
  ctx,
  signInHref,
  kept,
  staff,
}: {
  ctx: PageContext
  signInHref: string
  kept: boolean
  staff: boolean
}) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('session.expired.title')} area={staff ? 'backoffice' : 'portal'}>
      <h1 class="kern-heading-large">{t('session.expired.title')}</h1>
      <p class="kern-body">{t('session.expired.body')}</p>
      <p class="kern-body">
        {t(kept ? 'session.expired.kept' : 'session.expired.notKept', { minutes: RESUME_MINUTES })}
      </p>
      <p class="kern-body">
        <a class="kern-btn kern-btn--primary" href={signInHref}>
          <span class="kern-label">{t('session.expired.signIn')}</span>
        </a>
      </p>
    </Layout>
  )
}

/** After signing in again: what was typed, ready to be sent where it was going. */
export function ResumePage({ ctx, form }: { ctx: PageContext; form: KeptForm }) {
  const { t } = ctx
  return (
    <Layout ctx={ctx} title={t.text('session.resume.title')} area={ctx.staff ? 'backoffice' : 'portal'}>
      <h1 class="kern-heading-large">{t('session.resume.title')}</h1>
      <p class="kern-body">{t('session.resume.body')}</p>
      {form.filesDropped > 0 ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
            <span class="kern-title">{t('session.resume.filesTitle')}</span>
          </div>
          <div class="kern-alert__body">
            <p class="kern-body">{t('session.resume.files', { count: form.filesDropped })}</p>
          </div>
        </div>
      ) : (
        ''
      )}
      <form
        method="post"
        action={form.action}
        {...(form.multipart ? { enctype: 'multipart/form-data' } : {})}
        id="resume-form"
      >
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        {form.fields.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" class="kern-btn kern-btn--primary">
          <span class="kern-label">{t('session.resume.send')}</span>
        </button>
      </form>
    </Layout>
  )
}
