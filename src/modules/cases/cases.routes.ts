import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { addDays, isIsoDay } from '../../platform/calendar/index.js'
import { deadlineOverview, REMINDER_WORKING_DAYS } from './cases.deadlines.sweep.js'
import { DeadlinesPage } from './views/deadlines.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { contentDisposition } from '../../platform/files/files.js'
import { readFormInput } from '../../platform/http/form-input.js'
import { findCase } from './cases.queries.js'
import type { FieldError } from '../../platform/views/components.js'
import { requireStaff, staffOf, startPageWithoutCasework } from '../staff/index.js'
import { canFileOnBehalf, caseworkOfficeIds } from './cases.access.js'
import { assignCase, claimCase } from './cases.claim.js'
import { listInbox, type InboxQuery } from './cases.inbox.js'
import { addNote, DOCUMENTS_DUE_DAYS, MESSAGE_MAX, NOTE_MAX, sendCaseMessage, SUBJECT_MAX } from './cases.messages.js'
import { readCaseFileForStaff } from './cases.read.js'
import {
  AssignBody,
  CaseFileParams,
  CaseParams,
  CaseQuery,
  InboxQuerySchema,
  SearchQuerySchema,
  TransitionBody,
} from './cases.schemas.js'
import { searchCases } from './cases.search.js'
import { transitionCase } from './cases.transition.js'
import { CaseChanged, TransitionRefused } from './cases.errors.js'
import { parseVersion } from './cases.versions.js'
import { renderCasePage } from './cases.page.js'
import { involvementRoutes } from './cases.involvements.routes.js'
import { liveRoutes } from './cases.live.routes.js'
import type { CaseFormState } from './views/case-form-state.js'
import { CounterPage } from './views/counter.js'
import { InboxPage } from './views/inbox.js'
import { SearchPage } from './views/search.js'

type CaseRequest = FastifyRequest<{ Params: { caseId: string } }>

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim()

/** The back office: inbox, case view and the actions on a case, for staff of the case's office only. */
export const backofficeRoutes: FastifyPluginAsync = async app => {
  // Guards the routes of this plugin only.
  app.addHook('preHandler', requireStaff)

  const renderCase = (req: CaseRequest, reply: FastifyReply, form?: CaseFormState, status = 200) =>
    renderCasePage(app, req, reply, form, status)

  const backToCase = (reply: FastifyReply, caseId: string) => reply.redirect(`/backoffice/cases/${caseId}`, 303)

  /**
   * Runs a versioned action; when the case changed since the page was rendered, shows the case as it is now,
   * what changed meanwhile, and the person's input kept, with 409 (and nothing done).
   */
  async function versioned(
    req: CaseRequest,
    reply: FastifyReply,
    form: CaseFormState,
    actionLabel: () => string | Promise<string>,
    action: () => Promise<void>,
  ) {
    try {
      await action()
    } catch (error) {
      if (!(error instanceof CaseChanged)) throw error
      return renderCase(
        req,
        reply,
        { ...form, conflict: { action: await actionLabel(), since: error.expectedVersion } },
        409,
      )
    }
    return backToCase(reply, req.params.caseId)
  }

  // Beteiligung and live updates: in this context, so the staff guard above covers them.
  await app.register(involvementRoutes)
  await app.register(liveRoutes)

  app.get<{ Querystring: InboxQuery }>(
    '/backoffice',
    { schema: { querystring: InboxQuerySchema } },
    async (req, reply) => {
      const staff = staffOf(req)
      // Sign-in lands here: the treasury and the administration have no inbox, they start on their own page.
      const start = caseworkOfficeIds(staff).length === 0 ? startPageWithoutCasework(staff) : undefined
      if (start) return reply.redirect(start, 303)
      const result = await listInbox(app.db, app.services, staff, req.query, req.locale)
      const ctx = await app.pageContext(req)
      return sendHtml(reply, InboxPage({ ctx, result, query: req.query, offices: app.services.offices }))
    },
  )

  app.get<{ Querystring: { q?: string } }>(
    '/backoffice/search',
    { schema: { querystring: SearchQuerySchema } },
    async (req, reply) => {
      const query = req.query.q ?? ''
      const outcome = await searchCases(app.db, app.services, staffOf(req), query, req.locale)
      const ctx = await app.pageContext(req)
      const officeName = (id: string) => app.services.office(id)?.name[req.locale] ?? id
      return sendHtml(reply, SearchPage({ ctx, query, outcome, officeName }), outcome.kind === 'problem' ? 400 : 200)
    },
  )

  app.get('/backoffice/deadlines', async (req, reply) => {
    const offices = await deadlineOverview(app.db, app.services, staffOf(req), req.locale)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, DeadlinesPage({ ctx, offices, reminderDays: REMINDER_WORKING_DAYS }))
  })

  app.get('/backoffice/counter', async (req, reply) => {
    const staff = staffOf(req)
    const services = app.services.all().filter(s => canFileOnBehalf(staff, s.office))
    const ctx = await app.pageContext(req)
    return sendHtml(reply, CounterPage({ ctx, services }))
  })

  app.get<{ Params: { caseId: string }; Querystring: { involve?: string } }>(
    '/backoffice/cases/:caseId',
    { schema: { params: CaseParams, querystring: CaseQuery } },
    async (req, reply) => renderCasePage(app, req, reply, undefined, 200, { involve: req.query.involve }),
  )

  app.get<{ Params: { caseId: string; fileId: string } }>(
    '/backoffice/cases/:caseId/files/:fileId',
    { schema: { params: CaseFileParams } },
    async (req, reply) => {
      const file = await readCaseFileForStaff(app.db, staffOf(req), req.params.caseId, req.params.fileId)
      return reply
        .code(200)
        .type(file.mediaType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(file.content))
    },
  )

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/claim',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const expectedVersion = parseVersion((await readFormInput(req)).values.version)
      return versioned(
        req,
        reply,
        { errors: [] },
        () => req.t.text('cases.case.claim'),
        () => claimCase(app.db, app.services, staffOf(req), req.params.caseId, expectedVersion),
      )
    },
  )

  app.post<{ Params: { caseId: string }; Body: { assigneeId?: string; version?: string } }>(
    '/backoffice/cases/:caseId/assign',
    { schema: { params: CaseParams, body: AssignBody } },
    async (req, reply) => {
      return versioned(
        req,
        reply,
        { errors: [] },
        () => req.t.text('cases.case.assign'),
        () =>
          assignCase(
            app.db,
            staffOf(req),
            req.params.caseId,
            req.body.assigneeId || null,
            parseVersion(req.body.version),
          ),
      )
    },
  )

  app.post<{ Params: { caseId: string }; Body: { transitionId: string; version?: string } }>(
    '/backoffice/cases/:caseId/transitions',
    { schema: { params: CaseParams, body: TransitionBody } },
    async (req, reply) => {
      try {
        return await versioned(
          req,
          reply,
          { errors: [] },
          () => findTransitionLabel(req.params.caseId, req.body.transitionId, req.locale),
          () =>
            transitionCase(
              app.db,
              app.services,
              staffOf(req),
              req.params.caseId,
              req.body.transitionId,
              {
                baseUrl: app.config.baseUrl,
                locale: req.locale,
                expectedVersion: parseVersion(req.body.version),
                now: app.clock.now(),
              },
              app.caseKernel,
            ),
        )
      } catch (error) {
        // Not a dead end: the case again, with the guard saying what comes first (e.g. the fee notice).
        if (!(error instanceof TransitionRefused)) throw error
        return renderCase(req, reply, { errors: [], refused: error }, 409)
      }
    },
  )

  /** The label of the step the person tried, for the conflict message; the id itself when the case or step is unknown. */
  async function findTransitionLabel(caseId: string, transitionId: string, locale: 'de' | 'en'): Promise<string> {
    const found = await findCase(app.db, caseId)
    if (!found) return transitionId
    const definition = await app.services.version(found.serviceId, found.serviceVersion).catch(() => undefined)
    return definition?.workflow.transitions.find(tr => tr.id === transitionId)?.label[locale] ?? transitionId
  }

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/notes',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const note = text((await readFormInput(req)).values.note)
      const errors: FieldError[] = []
      if (!note) errors.push({ fieldId: 'note', message: req.t.text('cases.errors.noteEmpty') })
      else if (note.length > NOTE_MAX)
        errors.push({ fieldId: 'note', message: req.t.text('cases.errors.tooLong', { max: NOTE_MAX }) })
      if (errors.length) return renderCase(req, reply, { errors, note }, 400)
      await addNote(app.db, staffOf(req), req.params.caseId, note)
      return backToCase(reply, req.params.caseId)
    },
  )

  app.post<{ Params: { caseId: string } }>(
    '/backoffice/cases/:caseId/messages',
    { schema: { params: CaseParams } },
    async (req, reply) => {
      const { values } = await readFormInput(req)
      const subject = text(values.subject)
      const body = text(values.body)
      const requestsDocuments = text(values.requestsDocuments) === 'yes'
      const today = todayInGermany()
      // Left empty, the customary two weeks apply.
      const documentsDueOn = text(values.documentsDueOn) || addDays(today, DOCUMENTS_DUE_DAYS)
      const errors: FieldError[] = []
      if (
        requestsDocuments &&
        (!isIsoDay(documentsDueOn) || documentsDueOn <= today || documentsDueOn > addDays(today, 365))
      ) {
        errors.push({ fieldId: 'documentsDueOn', message: req.t.text('cases.errors.documentsDueOn') })
      }
      if (!subject) errors.push({ fieldId: 'subject', message: req.t.text('cases.errors.subjectEmpty') })
      else if (subject.length > SUBJECT_MAX)
        errors.push({ fieldId: 'subject', message: req.t.text('cases.errors.tooLong', { max: SUBJECT_MAX }) })
      if (!body) errors.push({ fieldId: 'body', message: req.t.text('cases.errors.bodyEmpty') })
      else if (body.length > MESSAGE_MAX)
        errors.push({ fieldId: 'body', message: req.t.text('cases.errors.tooLong', { max: MESSAGE_MAX }) })
      if (errors.length)
        return renderCase(req, reply, { errors, subject, body, requestsDocuments, documentsDueOn }, 400)
      const expectedVersion = parseVersion(values.version)
      return versioned(
        req,
        reply,
        { errors: [], subject, body, requestsDocuments, documentsDueOn },
        () => req.t.text('cases.case.send'),
        () =>
          sendCaseMessage(
            app.db,
            staffOf(req),
            req.params.caseId,
            {
              subject,
              body,
              requestsDocuments,
              documentsDueOn: requestsDocuments ? documentsDueOn : null,
              expectedVersion,
            },
            app.config.baseUrl,
          ),
      )
    },
  )
}
