import { audit } from '../../platform/audit/audit.js'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { checkUpload, contentDisposition } from '../../platform/files/files.js'
import type { FieldError } from '../../platform/views/components.js'
import {
  findCaseOfAccount,
  listCaseEvents,
  listCasesOfAccount,
  readCaseFileForAccount,
  stateOf,
} from '../cases/index.js'
import { listDraftsOfAccount } from '../applications/index.js'
import { accountOf, requireAccount } from '../accounts/index.js'
import { findFeeNoticeOfMessage, listFeeNoticesOfCase, listPaymentsOfCase } from '../payments/index.js'
import { ApplicationNotFound } from './postbox.errors.js'
import { countUnreadMessages, listMessagesOfAccount, listMessagesOfCase } from './postbox.queries.js'
import {
  awaitsDocuments,
  findOwnMessage,
  openMessage,
  replyToMessage,
  REPLY_MAX,
  type CheckedUpload,
} from './postbox.service.js'
import {
  ApplicationPage,
  ApplicationsPage,
  MessagePage,
  PostboxPage,
  type ReplyFormState,
} from './views/postbox-pages.js'
import { uuidParams } from '../../platform/http/ids.js'

/** The citizen's side of casework: my applications, their status and the postbox with replies. */
export const postboxRoutes: FastifyPluginAsync = async app => {
  app.addHook('preHandler', requireAccount)

  app.get('/account/applications', async (req, reply) => {
    const account = accountOf(req)
    const l = req.locale
    const cases = await listCasesOfAccount(app.db, account.id)
    const applications = []
    for (const c of cases) {
      const definition = await app.services.version(c.serviceId, c.serviceVersion)
      const state = stateOf(definition, c.status)
      applications.push({
        id: c.id,
        reference: c.reference,
        serviceTitle: definition.title[l],
        statusLabel: state?.label[l] ?? c.status,
        outcome: state?.outcome ?? null,
        submittedAt: c.submittedAt,
      })
    }
    const drafts = (await listDraftsOfAccount(app.db, account.id)).map(d => ({
      id: d.id,
      updatedAt: d.updatedAt,
      serviceTitle: app.services.find(d.serviceId)?.title[l] ?? d.serviceId,
    }))
    const ctx = await app.pageContext(req)
    return sendHtml(reply, ApplicationsPage({ ctx, applications, drafts }))
  })

  app.get<{ Params: { caseId: string } }>(
    '/account/applications/:caseId',
    { schema: { params: uuidParams('caseId') } },
    async (req, reply) => {
      const account = accountOf(req)
      const record = await findCaseOfAccount(app.db, account.id, req.params.caseId)
      if (!record) throw new ApplicationNotFound()
      // The applicant reading their own file is recorded too: the audit log answers every "who saw this?".
      await audit(app.db, {
        actor: { accountId: account.id },
        action: 'case.read',
        subjectType: 'case',
        subjectId: record.id,
        officeId: record.officeId,
      })
      const definition = await app.services.version(record.serviceId, record.serviceVersion)
      const events = await listCaseEvents(app.db, record.id, { publicOnly: true })
      const messages = await listMessagesOfCase(app.db, record.id)
      const payments = await listPaymentsOfCase(app.db, record.id)
      const feeNotices = await listFeeNoticesOfCase(app.db, record.id)
      const ctx = await app.pageContext(req)
      return sendHtml(reply, ApplicationPage({ ctx, record, definition, events, messages, payments, feeNotices }))
    },
  )

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
    const notice = await findFeeNoticeOfMessage(app.db, message.id)
    const ctx = await app.pageContext(req)
    return sendHtml(
      reply,
      MessagePage({ ctx, message, files, needsDocuments: awaitsDocuments(message), form, feeNotice: notice ?? null }),
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
        const check = await checkUpload(file.content)
        if (check.ok) uploads.push({ filename: file.filename, content: file.content, mediaType: check.mediaType })
        else errors.push({ fieldId: 'documents', message: `${file.filename}: ${req.t.text(check.key, check.params)}` })
      }
      if (needsDocuments && uploads.length === 0 && !errors.length)
        errors.push({ fieldId: 'documents', message: req.t.text('postbox.errors.documentsRequired') })
      if (!needsDocuments && !body) errors.push({ fieldId: 'body', message: req.t.text('postbox.errors.bodyEmpty') })
      if (body.length > REPLY_MAX)
        errors.push({ fieldId: 'body', message: req.t.text('postbox.errors.tooLong', { max: REPLY_MAX }) })
      if (errors.length) return renderMessage(req, reply, { errors, body }, 400)
      await replyToMessage(app.db, account.id, message.id, { body, uploads })
      return reply.redirect(`/account/applications/${message.caseId}`, 303)
    },
  )

  app.get<{ Params: { fileId: string } }>(
    '/account/files/:fileId',
    { schema: { params: uuidParams('fileId') } },
    async (req, reply) => {
      const file = await readCaseFileForAccount(app.db, accountOf(req).id, req.params.fileId)
      return reply
        .code(200)
        .type(file.mediaType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(file.content))
    },
  )
}
