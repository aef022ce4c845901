import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { NotFound } from '../../platform/http/errors.js'
import { uuidParams } from '../../platform/http/ids.js'
import { listDeletions } from '../../platform/privacy/index.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import type { ArchiveDecision } from '../../platform/db/schema.js'
import { requirePlatformAdmin, staffOf } from '../staff/index.js'
import type { CaseRecordHolder } from '../cases/index.js'
import {
  decideOffer,
  deleteReleasedCases,
  findTransfer,
  listOffers,
  listTransfers,
  transferToArchive,
} from './retention.archive.js'
import { processingRegister, registerCsv } from './retention.register.js'
import { ArchivePage, type ArchiveNotice } from './views/archive.js'
import { RegisterPage } from './views/register.js'

const CaseParams = uuidParams('caseId')
const TransferParams = uuidParams('transferId')
const DecisionBody = {
  type: 'object',
  properties: { decision: { type: 'string', enum: ['archive', 'destroy'] } },
  required: ['decision'],
} as const
const ArchiveQuery = {
  type: 'object',
  properties: { notice: { type: 'string', enum: ['decided', 'transferred', 'nothingToTransfer'] } },
} as const

/**
 * The data-protection pages of the administration: the records of processing (Art. 30 DSGVO) with the deletion log,
 * and the Aussonderung for the archive. Both concern the whole city, so only platform admins see them (office
 * admins 403, other staff 404, as for background jobs). Every decision is audited.
 */
export const retentionRoutes: FastifyPluginAsync<{ holders: CaseRecordHolder[] }> = async (app, { holders }) => {
  app.addHook('onRequest', requirePlatformAdmin)

  app.get('/backoffice/admin/data-protection', async (req, reply) => {
    const entries = processingRegister(app.services, req.locale)
    const deletions = await listDeletions(app.db, 50)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, RegisterPage({ ctx, entries, deletions }))
  })

  app.get('/backoffice/admin/data-protection/register.csv', async (req, reply) => {
    const csv = registerCsv(processingRegister(app.services, req.locale))
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="verarbeitungsverzeichnis-${todayInGermany(app.clock.now())}.csv"`,
      )
      .send(csv)
  })

  async function renderArchive(req: FastifyRequest, reply: FastifyReply, notice?: ArchiveNotice) {
    const offers = (await listOffers(app.db)).map(o => ({
      ...o,
      serviceTitle: app.services.find(o.serviceId)?.title[req.locale] ?? o.serviceId,
      officeName: app.services.office(o.officeId)?.name[req.locale] ?? o.officeId,
    }))
    const transfers = await listTransfers(app.db)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, ArchivePage({ ctx, offers, transfers, notice }))
  }

  app.get<{ Querystring: { notice?: ArchiveNotice } }>(
    '/backoffice/admin/archive',
    { schema: { querystring: ArchiveQuery } },
    async (req, reply) => renderArchive(req, reply, req.query.notice),
  )

  app.post<{ Params: { caseId: string }; Body: { decision: ArchiveDecision } }>(
    '/backoffice/admin/archive/:caseId/decision',
    { schema: { params: CaseParams, body: DecisionBody } },
    async (req, reply) => {
      const decided = await decideOffer(app.db, staffOf(req), req.params.caseId, req.body.decision, app.clock.now())
      if (!decided) throw new NotFound()
      return reply.redirect('/backoffice/admin/archive?notice=decided', 303)
    },
  )

  // Carries out the decisions now rather than at the next daily run: released cases go, taken-over ones are packed.
  app.post('/backoffice/admin/archive/transfer', async (req, reply) => {
    const now = app.clock.now()
    const deps = { db: app.db, services: app.services, config: app.config, holders }
    const released = await deleteReleasedCases(deps, now)
    const transfer = await transferToArchive(deps, now)
    req.log.info({ released, transferred: transfer?.cases ?? 0, staffId: staffOf(req).id }, 'Aussonderung carried out')
    const notice: ArchiveNotice = released || transfer ? 'transferred' : 'nothingToTransfer'
    return reply.redirect(`/backoffice/admin/archive?notice=${notice}`, 303)
  })

  app.get<{ Params: { transferId: string } }>(
    '/backoffice/admin/archive/transfers/:transferId',
    { schema: { params: TransferParams } },
    async (req, reply) => {
      const transfer = await findTransfer(app.db, req.params.transferId)
      if (!transfer) throw new NotFound()
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${transfer.filename}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(transfer.zip))
    },
  )
}
