import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import { uuidParams } from '../../platform/http/ids.js'
import { isLocale } from '../../platform/i18n/i18n.js'
import { requireStaff, staffOf } from '../staff/index.js'
import { canWorkOn } from '../cases/index.js'
import { MAX_TEXT_LENGTH } from './notices.doc.js'
import {
  applyNoticeUpdate,
  checkDraftAccess,
  createNoticeDraft,
  discardNoticeDraft,
  listUpdatesForStaff,
  noticeTopic,
  officeNameOf,
  readNoticeDraft,
  saveNoticeText,
  templateSourceOf,
} from './notices.drafts.js'
import { commentOnNotice, commentProblem, MAX_COMMENT_LENGTH } from './notices.comments.js'
import { listNoticeComments } from './notices.queries.js'
import {
  NoticeEmpty,
  NoticeIncomplete,
  NoticeNotInThisState,
  NoticeNotPreviewed,
  NoticeStale,
  NoticeUpdateInvalid,
} from './notices.errors.js'
import { contentDisposition } from '../../platform/files/files.js'
import { announcePresence } from './notices.presence.js'
import { previewNotice, signNotice } from './notices.sign.js'
import { noticeEditorBundle } from './notices.assets.js'
import { NoticePage, type NoticePageProps } from './views/notice-page.js'
import { BadRequest } from '../../platform/http/errors.js'

const CaseParams = uuidParams('caseId')
const NoticeParams = uuidParams('caseId', 'noticeId')
type NoticeRequest = FastifyRequest<{ Params: { caseId: string; noticeId: string } }>
const UpdatesQuery = {
  type: 'object',
  properties: { after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
} as const
const PreviewQuery = {
  type: 'object',
  required: ['version'],
  properties: { version: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
} as const
const PageQuery = { type: 'object', properties: { saved: { type: 'string', maxLength: 5 } } } as const
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** A JSON (or form) body's field as a string, if it is one. */
function bodyString(req: FastifyRequest, name: string): string | undefined {
  const body = req.body
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  const value = (body as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}

/** Form text as the editor holds it: browsers send CRLF line breaks, the Yjs document has LF. */
const normalizeText = (text: string) => text.replace(/\r\n?/g, '\n')

/**
 * Notices (Bescheide) on a case: drafting from a template, the draft page (a plain form without JavaScript,
 * co-editing with it), the Yjs sync and presence endpoints, the event stream, signing. Every route first asks
 * whether the staff member may read the case (its office or an involved one); anyone else gets 404. Only the lead
 * office drafts, edits, previews, signs and discards; a consulted office reads and comments (403 on the rest).
 */
export const noticeRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireStaff)
  const deps = { db: app.db, services: app.services }

  async function renderDraft(
    req: NoticeRequest,
    reply: FastifyReply,
    extra: Partial<NoticePageProps> = {},
    status = 200,
  ) {
    const staff = staffOf(req)
    const { caseRecord: c, draft } = await readNoticeDraft(app.db, staff, req.params.caseId, req.params.noticeId)
    const { caseDefinition } = await templateSourceOf(app.services, c)
    const ctx = await app.pageContext(req)
    const liveEditor = draft.status === 'draft' && !extra.conflict && !extra.textError
    // Only the lead office edits; a consulted office reads the text and comments on it.
    const canEdit = canWorkOn(staff, c.officeId)
    const bundle = liveEditor && canEdit ? await noticeEditorBundle() : null
    return sendHtml(
      reply,
      NoticePage({
        ctx,
        caseId: c.id,
        caseReference: c.reference,
        serviceTitle: caseDefinition.title[req.locale],
        leadOfficeName: officeNameOf(app.services, c.officeId, req.locale),
        draft,
        canEdit,
        comments: await listNoticeComments(app.db, draft.id),
        officeName: officeId => officeNameOf(app.services, officeId, req.locale),
        editor: bundle ? { state: Buffer.from(draft.state).toString('base64'), scriptSrc: bundle.url } : null,
        ...extra,
      }),
      status,
    )
  }

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/notices',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const { values } = await readFormInput(req)
      const locale = formText(values, 'locale')
      if (!isLocale(locale)) throw new BadRequest('notices.errors.unknownLanguage')
      const id = await createNoticeDraft(deps, staffOf(req), req.params.caseId, {
        templateId: formText(values, 'templateId'),
        locale,
      })
      return reply.redirect(`/backoffice/cases/${req.params.caseId}/notices/${id}`, 303)
    },
  )

  app.get<{ Params: { caseId: string; noticeId: string }; Querystring: { saved?: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId',
    { schema: { params: NoticeParams, querystring: PageQuery } },
    async (req, reply) => renderDraft(req, reply, { saved: req.query.saved === '1' }),
  )

  // Without JavaScript: the whole text with the version the page showed.
  app.post<{ Params: { caseId: string; noticeId: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const { values } = await readFormInput(req)
      const text = normalizeText(formText(values, 'text', { trim: false }))
      const version = Number.parseInt(formText(values, 'version'), 10)
      // Access first: an outsider learns nothing from a validation message, a consulted office gets 403.
      await checkDraftAccess(app.db, staff, req.params.caseId, req.params.noticeId, 'write')
      if (text.length > MAX_TEXT_LENGTH)
        return renderDraft(
          req,
          reply,
          { textError: req.t.text('notices.errors.tooLong', { max: MAX_TEXT_LENGTH }), typedText: text },
          400,
        )
      const result = await saveNoticeText(app.db, staff, req.params.caseId, req.params.noticeId, {
        text,
        version: Number.isSafeInteger(version) ? version : -1,
      })
      // Someone saved in between: 409 with both versions; what was typed stays in the field.
      if (result.kind === 'stale') return renderDraft(req, reply, { conflict: { yourText: text } }, 409)
      return reply.redirect(`/backoffice/cases/${req.params.caseId}/notices/${req.params.noticeId}?saved=1`, 303)
    },
  )

  app.get<{ Params: { caseId: string; noticeId: string }; Querystring: { after?: number } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/updates',
    { schema: { params: NoticeParams, querystring: UpdatesQuery } },
    async (req, reply) => {
      const page = await listUpdatesForStaff(
        app.db,
        staffOf(req),
        req.params.caseId,
        req.params.noticeId,
        req.query.after ?? 0,
      )
      return reply.header('cache-control', 'no-store').send({
        updates: page.updates.map(u => ({
          id: u.id,
          update: Buffer.from(u.payload).toString('base64'),
          staffId: u.staffId,
        })),
        lastId: page.lastId,
        version: page.version,
        status: page.status,
        more: page.more,
      })
    },
  )

  app.post<{ Params: { caseId: string; noticeId: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/updates',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const encoded = bodyString(req, 'update')
      await checkDraftAccess(app.db, staff, req.params.caseId, req.params.noticeId, 'write')
      if (!encoded || !BASE64.test(encoded)) throw new NoticeUpdateInvalid()
      const stored = await applyNoticeUpdate(
        app.db,
        staff,
        req.params.caseId,
        req.params.noticeId,
        Buffer.from(encoded, 'base64'),
      )
      return reply.header('cache-control', 'no-store').send(stored)
    },
  )

  app.post<{ Params: { caseId: string; noticeId: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/presence',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>
      const caret =
        typeof body.caret === 'number' && Number.isSafeInteger(body.caret) && body.caret >= 0 ? body.caret : null
      await announcePresence(app.db, app.services, staffOf(req), req.params.caseId, req.params.noticeId, {
        state: body.state === 'left' ? 'left' : 'here',
        caret,
        joined: body.joined === true,
      })
      return reply.code(204).send()
    },
  )

  // Server-sent events of this draft; the stream stays open until the browser leaves.
  app.get<{ Params: { caseId: string; noticeId: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/live',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      await checkDraftAccess(app.db, staffOf(req), req.params.caseId, req.params.noticeId)
      app.live.stream(req, reply, [noticeTopic(req.params.noticeId)])
    },
  )

  // The PDF of the version the page showed, unsigned; signing that version requires having opened it.
  app.get<{ Params: { caseId: string; noticeId: string }; Querystring: { version: number } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/preview',
    { schema: { params: NoticeParams, querystring: PreviewQuery } },
    async (req, reply) => {
      try {
        const { pdf, title } = await previewNotice(
          { ...deps, config: app.config },
          staffOf(req),
          req.params.caseId,
          req.params.noticeId,
          req.query.version,
        )
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            contentDisposition(`${req.t.text('notices.preview.filename')}-${title}.pdf`, 'inline'),
          )
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .send(pdf)
      } catch (error) {
        // The text moved on since the page was rendered: the page as it is now, to preview that.
        if (error instanceof NoticeStale)
          return renderDraft(req, reply, { signError: req.t.text('notices.errors.previewStale') }, 409)
        throw error
      }
    },
  )

  app.post<{ Params: { caseId: string; noticeId: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/sign',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const { values } = await readFormInput(req)
      const version = Number.parseInt(formText(values, 'version'), 10)
      try {
        await signNotice(
          { ...deps, config: app.config, signers: app.signers },
          staffOf(req),
          req.params.caseId,
          req.params.noticeId,
          { version: Number.isSafeInteger(version) ? version : -1 },
        )
      } catch (error) {
        // On the draft page, not an error page: the person sees the text as it is now and can go on.
        if (
          error instanceof NoticeStale ||
          error instanceof NoticeIncomplete ||
          error instanceof NoticeEmpty ||
          error instanceof NoticeNotPreviewed ||
          error instanceof NoticeNotInThisState
        ) {
          return renderDraft(req, reply, { signError: req.t.text(error.messageKey, error.params) }, error.statusCode)
        }
        throw error
      }
      return reply.redirect(`/backoffice/cases/${req.params.caseId}/notices/${req.params.noticeId}`, 303)
    },
  )

  // A comment by anyone who reads the case; the consulted office's way to ask for a change of the draft.
  app.post<{ Params: { caseId: string; noticeId: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/comments',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const { values } = await readFormInput(req)
      const text = normalizeText(formText(values, 'comment', { trim: false }))
      await checkDraftAccess(app.db, staff, req.params.caseId, req.params.noticeId)
      const problem = commentProblem(text)
      if (problem)
        return renderDraft(
          req,
          reply,
          { commentError: req.t.text(problem, { max: MAX_COMMENT_LENGTH }), typedComment: text },
          400,
        )
      await commentOnNotice(app.db, staff, req.params.caseId, req.params.noticeId, text)
      return reply.redirect(
        `/backoffice/cases/${req.params.caseId}/notices/${req.params.noticeId}#notice-comments`,
        303,
      )
    },
  )

  app.post<{ Params: { caseId: string; noticeId: string } }>(
    '/backoffice/cases/:caseId/notices/:noticeId/discard',
    { schema: { params: NoticeParams } },
    async (req, reply) => {
      await discardNoticeDraft(app.db, staffOf(req), req.params.caseId, req.params.noticeId)
      return reply.redirect(`/backoffice/cases/${req.params.caseId}#notices`, 303)
    },
  )
}
