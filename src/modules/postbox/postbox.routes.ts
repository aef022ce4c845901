import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { checkUpload } from '../../platform/files/files.js'
import type { FieldError } from '../../platform/views/components.js'
import { accountOf, requireAccount } from '../accounts/index.js'
import { renderMessageParts, type MessagePart } from './postbox.parts.js'
import { countUnreadMessages, listMessagesOfAccount } from './postbox.queries.js'
import {
  awaitsDocuments,
  findOwnMessage,
  openMessage,
  replyToMessage,
  REPLY_MAX,
  type CheckedUpload,
  type RecordReplyInCase,
} from './postbox.service.js'
import { MessagePage, PostboxPage, type ReplyFormState } from './views/postbox-pages.js'
import { uuidParams } from '../../platform/http/ids.js'

export interface PostboxOptions {
  /** What features show on a message, in this order. */
  messageParts: readonly MessagePart<unknown>[]
  /** The kernel's side of a reply: the case's timeline and deadline. */
  recordReplyInCase: RecordReplyInCase
}

/** The citizen's postbox: messages of the office and replies to them. */
export const postboxRoutes: FastifyPluginAsync<PostboxOptions> = async (app, { messageParts, recordReplyInCase }) => {
  app.addHook('preHandler', requireAccount)

  app.get('/account/postbox', async (req, reply) => {
    const account = accountOf(req)
    const messages = await listMessagesOfAccount(app.db, account.id)
    const unread = await countUnreadMessages(app.db, account.id)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, PostboxPage({ ctx, messages, unread }))
  })

  async function renderMessage(
    req: FastifyRequest<{ Params: { messageId: string } }>,
    reply: FastifyReply,
    form?: ReplyFormState,
    status = 200,
  ) {
    const { message, files } = await openMessage(app.db, accountOf(req).id, req.params.messageId)
    const ctx = await app.pageContext(req)
    const parts = await renderMessageParts(app.db, message, ctx, messageParts)
    return sendHtml(
      reply,
      MessagePage({ ctx, message, files, needsDocuments: awaitsDocuments(message), form, parts }),
      status,
    )
  }

  app.get<{ Params: { messageId: string } }>(
    '/account/postbox/:messageId',
    { schema: { params: uuidParams('messageId') } },
    async (req, reply) => renderMessage(req, reply),
  )

  app.post<{ Params: { messageId: string } }>(
    '/account/postbox/:messageId/reply',
    { schema: { params: uuidParams('messageId') } },
    async (req, reply) => {
      const account = accountOf(req)
      // Reading it first answers another person's message with 404 before anything is checked or stored.
      const message = await findOwnMessage(app.db, account.id, req.params.messageId)
      const input = await readFormInput(req)
      const body = (Array.isArray(input.values.body) ? (input.values.body[0] ?? '') : (input.values.body ?? '')).trim()
      const needsDocuments = awaitsDocuments(message)
      const errors: FieldError[] = []
      const uploads: CheckedUpload[] = []
      for (const file of input.files.filter(f => f.fieldName === 'documents')) {
        const check = await checkUpload(app.virusScanner, file.content)
        if (check.ok) uploads.push({ filename: file.filename, content: file.content, mediaType: check.mediaType })
        else errors.push({ fieldId: 'documents', message: `${file.filename}: ${req.t.text(check.key, check.params)}` })
      }
      if (needsDocuments && uploads.length === 0 && !errors.length)
        errors.push({ fieldId: 'documents', message: req.t.text('postbox.errors.documentsRequired') })
      if (!needsDocuments && !body) errors.push({ fieldId: 'body', message: req.t.text('postbox.errors.bodyEmpty') })
      if (body.length > REPLY_MAX)
        errors.push({ fieldId: 'body', message: req.t.text('postbox.errors.tooLong', { max: REPLY_MAX }) })
      if (errors.length) return renderMessage(req, reply, { errors, body }, 400)
      await replyToMessage(app.db, recordReplyInCase, account.id, message.id, { body, uploads })
      return reply.redirect(`/account/applications/${message.caseId}`, 303)
    },
  )
}
