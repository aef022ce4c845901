import type { FastifyPluginAsync } from 'fastify'
import type { ServicePagePart } from './catalogue.parts.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { CataloguePage, HomePage, LIFE_SITUATIONS, OfflineServicePage, ServicePage } from './views/catalogue-pages.js'

const ListQuery = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 200 },
    situation: { type: 'string', enum: [...LIFE_SITUATIONS] },
    office: { type: 'string', maxLength: 80, pattern: '^[a-z0-9-]+$' },
    page: { type: 'integer', minimum: 1, maximum: 500 },
  },
} as const

// A catalogue of LeiKa size has thousands of services; a page shows a readable handful.
const PAGE_SIZE = 10

export const catalogueRoutes: FastifyPluginAsync<{ servicePageParts: readonly ServicePagePart[] }> = async (
  app,
  { servicePageParts },
) => {
  app.get('/', async (req, reply) => {
    const ctx = await app.pageContext(req)
    return sendHtml(reply, HomePage({ ctx, services: app.services.all(), offices: app.services.offices }))
  })

  app.get<{ Querystring: { q?: string; situation?: string; office?: string; page?: number } }>(
    '/services',
    { schema: { querystring: ListQuery } },
    async (req, reply) => {
      const { page = 1, ...filter } = req.query
      const { ids, total } = app.services.search(filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
      const services = ids.map(id => app.services.find(id) ?? app.services.findOffline(id)).filter(s => s !== undefined)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        CataloguePage({
          ctx,
          services,
          offices: app.services.offices,
          filter,
          paging: { page, pageSize: PAGE_SIZE, total },
        }),
      )
    },
  )

  app.get<{ Params: { serviceId: string } }>(
    '/services/:serviceId',
    {
      schema: {
        params: {
          type: 'object',
          properties: { serviceId: { type: 'string', maxLength: 80 } },
          required: ['serviceId'],
        },
      },
    },
    async (req, reply) => {
      const entry = app.services.findOffline(req.params.serviceId)
      if (entry)
        return sendHtml(
          reply,
          OfflineServicePage({ ctx: await app.pageContext(req), entry, office: app.services.office(entry.office) }),
        )
      const service = app.services.get(req.params.serviceId)
      const ctx = await app.pageContext(req)
      return sendHtml(
        reply,
        ServicePage({ ctx, service, office: app.services.office(service.office), parts: servicePageParts }),
      )
    },
  )
}
