import { bookingsOfCase } from '../booking/index.js'
import type { FastifyPluginAsync } from 'fastify'
import type { ApplicationsPagePart } from './applications.parts.js'
import { audit } from '../../platform/audit/audit.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { contentDisposition } from '../../platform/files/files.js'
import { uuidParams } from '../../platform/http/ids.js'
import { accountOf, requireAccount } from '../accounts/index.js'
import {
  actedForText,
  findCaseOfAccount,
  listCaseEvents,
  listCasesOfAccount,
  readCaseFileForAccount,
  stateOf,
} from '../cases/index.js'
import { listFeeNoticesOfCase, listPaymentsOfCase } from '../payments/index.js'
import { listMessagesOfCase } from '../postbox/index.js'
import { listDraftsOfAccount } from './applications.queries.js'
import { ApplicationNotFound } from './applications.errors.js'
import { ApplicationPage, ApplicationsPage } from './views/account-applications.js'

/** The citizen's side of casework: my applications with their drafts, each application's status, and its files. */
export const applicationAccountRoutes: FastifyPluginAsync<{
  parts?: readonly ApplicationsPagePart<unknown>[]
}> = async (app, opts) => {
  const parts = opts.parts ?? []
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
        actedFor: actedForText(req.t, c),
      })
    }
    const drafts = (await listDraftsOfAccount(app.db, account.id)).map(d => ({
      id: d.id,
      updatedAt: d.updatedAt,
      serviceTitle: app.services.find(d.serviceId)?.title[l] ?? d.serviceId,
    }))
    const ctx = await app.pageContext(req)
    const sections = []
    for (const part of parts)
      sections.push(part.View({ data: await part.load(app, { accountId: account.id, locale: l }), ctx }))
    return sendHtml(reply, ApplicationsPage({ ctx, applications, drafts, sections }))
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
      const appointments = await bookingsOfCase(app.db, record.id)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        ApplicationPage({ ctx, record, definition, events, messages, payments, feeNotices, appointments }),
      )
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
