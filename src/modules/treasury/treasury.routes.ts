import { Readable } from 'node:stream'
import type { FastifyPluginAsync } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { staffOf } from '../staff/index.js'
import { refundDecisionRoutes } from '../payments/index.js'
import { requireTreasury, treasuryOfficeOf } from './treasury.access.js'
import { TreasuryQuerySchema, type TreasuryQuery } from './treasury.schemas.js'
import { exportCamt054, exportLedgerCsv, listDiscrepancies, listTreasury } from './treasury.service.js'
import { TreasuryPage } from './views/treasury-list.js'
import { DiscrepanciesPage } from './views/discrepancies.js'

/** The city treasury (Stadtkasse): payments of every office, their exports and discrepancies. */
export const treasuryRoutes: FastifyPluginAsync = async app => {
  // Runs before the query is validated, so nothing about the filters answers a person without the role.
  app.addHook('onRequest', requireTreasury)

  app.get<{ Querystring: TreasuryQuery }>(
    '/backoffice/treasury',
    { schema: { querystring: TreasuryQuerySchema } },
    async (req, reply) => {
      const page = await listTreasury(app.db, app.services, staffOf(req), req.query, req.locale)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        TreasuryPage({ ctx, page, query: req.query, services: app.services.all(), offices: app.services.offices }),
      )
    },
  )

  app.get<{ Querystring: TreasuryQuery }>(
    '/backoffice/treasury/export.csv',
    { schema: { querystring: TreasuryQuerySchema } },
    async (req, reply) => {
      const rows = await exportLedgerCsv(app.db, app.services, staffOf(req), req.query, req.locale)
      return reply
        .code(200)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="zahlungen-${todayInGermany()}.csv"`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(rows))
    },
  )

  app.get<{ Querystring: TreasuryQuery }>(
    '/backoffice/treasury/export.camt054.xml',
    { schema: { querystring: TreasuryQuerySchema } },
    async (req, reply) => {
      const { messageId, body } = await exportCamt054(app.db, staffOf(req), req.query)
      return reply
        .code(200)
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${messageId}.xml"`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(body))
    },
  )

  app.get('/backoffice/treasury/discrepancies', async (req, reply) => {
    const report = await listDiscrepancies(app.db, app.services, staffOf(req), req.locale)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, DiscrepanciesPage({ ctx, report }))
  })

  // The treasury may approve or reject a large refund of any office (four-eyes principle), never its own request.
  await app.register(refundDecisionRoutes, {
    base: '/backoffice/treasury/refund-requests',
    officeIdsOf: () => null,
    mayDecide: () => () => true,
    auditOfficeOf: treasuryOfficeOf,
    linkPayments: false,
  })
}
