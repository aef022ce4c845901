import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { checkUpload, contentDisposition } from '../../platform/files/files.js'
import { formText, readFormInput } from '../../platform/http/form-input.js'
import type { FieldError } from '../../platform/views/components.js'
import { staffOf } from '../staff/index.js'
import { InvolvementAlreadyOpen, StatementChanged } from './cases.errors.js'
import {
  findInvolvementToAnswer,
  listInvolvementsForStaff,
  readInvolvementFile,
  requestInvolvement,
  saveStatement,
  STATEMENT_FILES_MAX,
  STATEMENT_MAX,
  validateInvolvementRequest,
  withdrawInvolvement,
  type StatementUpload,
} from './cases.involvements.js'
import { renderCasePage } from './cases.page.js'
import { findCaseForStaff } from './cases.read.js'
import { CaseParams, InvolvementFileParams, InvolvementParams } from './cases.schemas.js'
import { parseVersion } from './cases.versions.js'
import type { CaseFormState } from './views/case-form-state.js'
import { InvolvementsListPage } from './views/involvements.js'

type CaseRequest = FastifyRequest<{ Params: { caseId: string } }>

/**
 * Beteiligung: the lead office asks other offices for statements and withdraws requests; an involved office
 * answers its own; "Beteiligungen" lists the requests to the person's offices. Registered inside the back
 * office's context, behind its staff guard. The access rules live in the services: only the case's office
 * requests and withdraws, only the involved office writes its statement, anyone else gets 404.
 */
export const involvementRoutes: FastifyPluginAsync = async app => {
  const renderCase = (req: CaseRequest, reply: FastifyReply, form: CaseFormState, status: number) =>
    renderCasePage(app, req, reply, form, status)
  const toInvolvements = (reply: FastifyReply, caseId: string) =>
    reply.redirect(`/backoffice/cases/${caseId}#involvements`, 303)

  app.get('/backoffice/involvements', async (req, reply) => {
    const entries = await listInvolvementsForStaff(app.db, app.services, staffOf(req), req.locale, todayInGermany())
    const ctx = await app.pageContext(req)
    return sendHtml(reply, InvolvementsListPage({ ctx, entries }))
  })

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/involvements',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      // Who may not involve others on this case learns nothing, not even what is wrong with the input.
      const c = await findCaseForStaff(app.db, staff, req.params.caseId)
      const { values } = await readFormInput(req)
      const involve = {
        officeId: formText(values, 'officeId'),
        task: formText(values, 'task'),
        dueOn: formText(values, 'dueOn'),
      }
      const errors = validateInvolvementRequest(involve, c.officeId, app.services.offices, todayInGermany(), req.t)
      if (errors.length) return renderCase(req, reply, { errors, involve }, 400)
      try {
        await requestInvolvement(app.db, app.services, staff, c.id, involve)
      } catch (error) {
        // Recover: someone asked the same office meanwhile; say who, keep the text.
        if (!(error instanceof InvolvementAlreadyOpen)) throw error
        return renderCase(
          req,
          reply,
          { errors: [{ fieldId: 'involveOffice', message: req.t.text(error.messageKey, error.params) }], involve },
          409,
        )
      }
      return toInvolvements(reply, c.id)
    },
  )

  app.post<{ Params: { caseId: string; involvementId: string } }>(
    '/backoffice/cases/:caseId/involvements/:involvementId/withdraw',
    { schema: { params: InvolvementParams } },
    async (req, reply) => {
      await withdrawInvolvement(app.db, app.services, staffOf(req), req.params.caseId, req.params.involvementId)
      return toInvolvements(reply, req.params.caseId)
    },
  )

  app.post<{ Params: { caseId: string; involvementId: string } }>(
    '/backoffice/cases/:caseId/involvements/:involvementId/statement',
    { schema: { params: InvolvementParams } },
    async (req, reply) => {
      const staff = staffOf(req)
      const { caseId, involvementId } = req.params
      // Access first: only the involved office's people, on an open or answered request, get any further.
      await findInvolvementToAnswer(app.db, staff, caseId, involvementId)
      const { values, files } = await readFormInput(req)
      const text = formText(values, 'statement')
      const answer = formText(values, 'action') === 'answer'
      const fieldId = `statement-${involvementId}`
      const filesId = `documents-${involvementId}`
      const errors: FieldError[] = []
      if (answer && !text) errors.push({ fieldId, message: req.t.text('cases.involvement.errors.statementEmpty') })
      if (text.length > STATEMENT_MAX)
        errors.push({ fieldId, message: req.t.text('cases.errors.tooLong', { max: STATEMENT_MAX }) })
      const chosen = files.filter(f => f.fieldName === 'documents')
      const uploads: StatementUpload[] = []
      if (chosen.length > STATEMENT_FILES_MAX)
        errors.push({
          fieldId: filesId,
          message: req.t.text('cases.involvement.errors.tooManyFiles', { max: STATEMENT_FILES_MAX }),
        })
      else {
        // Judged by content, as every upload: a renamed program is no PDF.
        for (const file of chosen) {
          const check = await checkUpload(app.virusScanner, file.content)
          if (check.ok) uploads.push({ filename: file.filename, content: file.content, mediaType: check.mediaType })
          else errors.push({ fieldId: filesId, message: `${file.filename}: ${req.t.text(check.key, check.params)}` })
        }
      }
      if (errors.length) return renderCase(req, reply, { errors, statement: { involvementId, text } }, 400)
      try {
        await saveStatement(app.db, app.services, staff, caseId, involvementId, {
          text,
          answer,
          uploads,
          expectedVersion: parseVersion(values.version),
        })
      } catch (error) {
        // Recover: a colleague saved meanwhile. Both versions are shown, the person's own stays in the form.
        if (!(error instanceof StatementChanged)) throw error
        return renderCase(req, reply, { errors: [], statement: { involvementId, text, saved: error.saved } }, 409)
      }
      return reply.redirect(`/backoffice/cases/${caseId}#involvement-${involvementId}`, 303)
    },
  )

  app.get<{ Params: { caseId: string; involvementId: string; fileId: string } }>(
    '/backoffice/cases/:caseId/involvements/:involvementId/files/:fileId',
    { schema: { params: InvolvementFileParams } },
    async (req, reply) => {
      const file = await readInvolvementFile(
        app.db,
        staffOf(req),
        req.params.caseId,
        req.params.involvementId,
        req.params.fileId,
      )
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
