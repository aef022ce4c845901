import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { addDays, isIsoDay } from '../../platform/calendar/index.js'
import { deadlineOverview, REMINDER_WORKING_DAYS } from './cases.deadlines.sweep.js'
import { DeadlinesPage } from './views/deadlines.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { contentDisposition } from '../../platform/files/files.js'
import { readFormInput } from '../../platform/http/form-input.js'
import type { FieldError } from '../../platform/views/components.js'
import { requireStaff, staffOf, staffOfficeIds } from '../staff/index.js'
import { canWorkOn, caseworkOfficeIds, isTeamLead, rolesIn } from './cases.access.js'
import { assignCase, claimCase } from './cases.claim.js'
import { listInbox, type InboxQuery } from './cases.inbox.js'
import { addNote, DOCUMENTS_DUE_DAYS, MESSAGE_MAX, NOTE_MAX, sendCaseMessage, SUBJECT_MAX } from './cases.messages.js'
import { listOfficeCaseworkers } from './cases.queries.js'
import { readCaseFileForStaff, readCaseForStaff } from './cases.read.js'
import { AssignBody, CaseFileParams, CaseParams, InboxQuerySchema, TransitionBody } from './cases.schemas.js'
import { transitionCase } from './cases.transition.js'
import { availableTransitions, isFinalStatus } from './cases.workflow.js'
import { CasePage, type CaseFormState } from './views/case.js'
import { CounterPage } from './views/counter.js'
import { InboxPage } from './views/inbox.js'

type CaseRequest = FastifyRequest<{ Params: { caseId: string } }>

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] ?? '' : value ?? '').trim()

/** The back office: inbox, case view and the actions on a case, for staff of the case's office only. */
export const backofficeRoutes: FastifyPluginAsync = async (app) => {
  // Guards the routes of this plugin only.
  app.addHook('preHandler', requireStaff)

  async function renderCase(req: CaseRequest, reply: FastifyReply, form?: CaseFormState, status = 200) {
    const staff = staffOf(req)
    const dossier = await readCaseForStaff(app.db, staff, req.params.caseId)
    const c = dossier.record
    const definition = await app.services.version(c.serviceId, c.serviceVersion)
    const final = isFinalStatus(definition, c.status)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, CasePage({
      ctx, dossier, definition, form,
      transitions: availableTransitions(definition, c.status, rolesIn(staff, c.officeId)),
      caseworkers: isTeamLead(staff, c.officeId) ? await listOfficeCaseworkers(app.db, c.officeId) : null,
      canClaim: !c.assigneeId && !final && canWorkOn(staff, c.officeId),
      isOverdue: !!c.dueAt && new Date(c.dueAt).getTime() < Date.now() && !final,
    }), status)
  }

  const backToCase = (reply: FastifyReply, caseId: string) => reply.redirect(`/backoffice/cases/${caseId}`, 303)

  app.get<{ Querystring: InboxQuery }>('/backoffice', { schema: { querystring: InboxQuerySchema } }, async (req, reply) => {
    const staff = staffOf(req)
    // The treasury works on payments, not cases: its start page is the ledger.
    if (caseworkOfficeIds(staff).length === 0 && staff.roles.some((r) => r.role === 'treasury')) return reply.redirect('/backoffice/treasury', 303)
    const result = await listInbox(app.db, app.services, staff, req.query, req.locale)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, InboxPage({ ctx, result, query: req.query, offices: app.services.offices }))
  })

  app.get('/backoffice/deadlines', async (req, reply) => {
    const offices = await deadlineOverview(app.db, app.services, staffOf(req), req.locale)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, DeadlinesPage({ ctx, offices, reminderDays: REMINDER_WORKING_DAYS }))
  })

  app.get('/backoffice/counter', async (req, reply) => {
    const offices = staffOfficeIds(staffOf(req))
    const services = app.services.all().filter((s) => offices.includes(s.office))
    const ctx = await app.pageContext(req)
    return sendHtml(reply, CounterPage({ ctx, services }))
  })

  app.get<{ Params: { caseId: string } }>('/backoffice/cases/:caseId', { schema: { params: CaseParams } }, async (req, reply) => renderCase(req, reply))

  app.get<{ Params: { caseId: string; fileId: string } }>('/backoffice/cases/:caseId/files/:fileId', { schema: { params: CaseFileParams } }, async (req, reply) => {
    const file = await readCaseFileForStaff(app.db, staffOf(req), req.params.caseId, req.params.fileId)
    return reply.code(200).type(file.mediaType).header('content-disposition', contentDisposition(file.filename))
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store')
      .send(Buffer.from(file.content))
  })

  app.post<{ Params: { caseId: string } }>('/backoffice/cases/:caseId/claim', { schema: { params: CaseParams } }, async (req, reply) => {
    await claimCase(app.db, app.services, staffOf(req), req.params.caseId)
    return backToCase(reply, req.params.caseId)
  })

  app.post<{ Params: { caseId: string }; Body: { assigneeId?: string } }>('/backoffice/cases/:caseId/assign', { schema: { params: CaseParams, body: AssignBody } }, async (req, reply) => {
    await assignCase(app.db, staffOf(req), req.params.caseId, req.body.assigneeId || null)
    return backToCase(reply, req.params.caseId)
  })

  app.post<{ Params: { caseId: string }; Body: { transitionId: string } }>('/backoffice/cases/:caseId/transitions', { schema: { params: CaseParams, body: TransitionBody } }, async (req, reply) => {
    await transitionCase(app.db, app.services, staffOf(req), req.params.caseId, req.body.transitionId, { baseUrl: app.config.baseUrl, locale: req.locale })
    return backToCase(reply, req.params.caseId)
  })

  app.post<{ Params: { caseId: string } }>('/backoffice/cases/:caseId/notes', { schema: { params: CaseParams } }, async (req, reply) => {
    const note = text((await readFormInput(req)).values.note)
    const errors: FieldError[] = []
    if (!note) errors.push({ fieldId: 'note', message: req.t.text('cases.errors.noteEmpty') })
    else if (note.length > NOTE_MAX) errors.push({ fieldId: 'note', message: req.t.text('cases.errors.tooLong', { max: NOTE_MAX }) })
    if (errors.length) return renderCase(req, reply, { errors, note }, 400)
    await addNote(app.db, staffOf(req), req.params.caseId, note)
    return backToCase(reply, req.params.caseId)
  })

  app.post<{ Params: { caseId: string } }>('/backoffice/cases/:caseId/messages', { schema: { params: CaseParams } }, async (req, reply) => {
    const { values } = await readFormInput(req)
    const subject = text(values.subject)
    const body = text(values.body)
    const requestsDocuments = text(values.requestsDocuments) === 'yes'
    const today = todayInGermany()
    // Left empty, the customary two weeks apply.
    const documentsDueOn = text(values.documentsDueOn) || addDays(today, DOCUMENTS_DUE_DAYS)
    const errors: FieldError[] = []
    if (requestsDocuments && (!isIsoDay(documentsDueOn) || documentsDueOn <= today || documentsDueOn > addDays(today, 365))) {
      errors.push({ fieldId: 'documentsDueOn', message: req.t.text('cases.errors.documentsDueOn') })
    }
    if (!subject) errors.push({ fieldId: 'subject', message: req.t.text('cases.errors.subjectEmpty') })
    else if (subject.length > SUBJECT_MAX) errors.push({ fieldId: 'subject', message: req.t.text('cases.errors.tooLong', { max: SUBJECT_MAX }) })
    if (!body) errors.push({ fieldId: 'body', message: req.t.text('cases.errors.bodyEmpty') })
    else if (body.length > MESSAGE_MAX) errors.push({ fieldId: 'body', message: req.t.text('cases.errors.tooLong', { max: MESSAGE_MAX }) })
    if (errors.length) return renderCase(req, reply, { errors, subject, body, requestsDocuments, documentsDueOn }, 400)
    await sendCaseMessage(app.db, staffOf(req), req.params.caseId, { subject, body, requestsDocuments, documentsDueOn: requestsDocuments ? documentsDueOn : null }, app.config.baseUrl)
    return backToCase(reply, req.params.caseId)
  })
}
