import type { FastifyPluginAsync } from 'fastify'
import { Type } from '@sinclair/typebox'
import { ServiceDefinition } from './definition.schema.js'
import type { ServiceDefinition as Definition } from './definition.schema.js'
import { isLocale, type Locale } from '../../platform/i18n/i18n.js'

const ServiceSummary = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  leikaKey: Type.Optional(Type.String()),
  title: Type.String(),
  summary: Type.String(),
  office: Type.Object({ id: Type.String(), name: Type.String() }),
  audience: Type.Array(Type.String()),
  lifeSituations: Type.Array(Type.String()),
  loginRequired: Type.Boolean(),
  url: Type.String(),
})
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  lang: Type.Optional(Type.Union([Type.Literal('de'), Type.Literal('en')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 0 })),
})
const ListResponse = Type.Object({ total: Type.Integer(), services: Type.Array(ServiceSummary) })
const ErrorResponse = Type.Object({ code: Type.String(), message: Type.String() })
const IdParams = Type.Object({ id: Type.String({ maxLength: 80 }) })

/** What other modules add to the OpenAPI description (their paths and schemas). */
export interface ApiDocs {
  paths: Record<string, unknown>
  schemas: Record<string, unknown>
}

/** The catalogue as JSON for other systems, and the OpenAPI 3.1 description of the whole API. */
export const catalogueApiRoutes: FastifyPluginAsync<{ more?: ApiDocs }> = async (app, { more }) => {
  const summarize = (def: Definition, lang: Locale) => ({
    id: def.id,
    version: def.version,
    ...(def.leikaKey ? { leikaKey: def.leikaKey } : {}),
    title: def.title[lang],
    summary: def.summary[lang],
    office: { id: def.office, name: app.services.office(def.office)?.name[lang] ?? def.office },
    audience: def.audience,
    lifeSituations: def.lifeSituations,
    loginRequired: def.loginRequired,
    url: `${app.config.baseUrl}/services/${def.id}`,
  })

  app.get<{ Querystring: { q?: string; lang?: Locale; limit?: number; offset?: number } }>(
    '/api/v1/services',
    {
      config: { skipSession: true },
      schema: { querystring: ListQuery, response: { 200: ListResponse, 400: ErrorResponse } },
    },
    async req => {
      const lang = isLocale(req.query.lang) ? req.query.lang : 'de'
      const { ids, total } = app.services.search(
        { q: req.query.q, online: true },
        { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 },
      )
      const services = ids
        .map(id => app.services.find(id))
        .filter(s => s !== undefined)
        .map(s => summarize(s, lang))
      return { total, services }
    },
  )

  app.get<{ Params: { id: string } }>(
    '/api/v1/services/:id',
    {
      config: { skipSession: true },
      schema: { params: IdParams, response: { 404: ErrorResponse } },
    },
    async req => app.services.get(req.params.id),
  )

  app.get('/api/openapi.json', { config: { skipSession: true } }, async () => ({
    openapi: '3.1.0',
    info: {
      title: 'Bauhaus API',
      version: '1.0.0',
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      description: 'Service catalogue of the city and submission of applications.',
    },
    servers: [{ url: app.config.baseUrl }],
    paths: {
      '/api/v1/services': {
        get: {
          operationId: 'listServices',
          summary: 'Search the service catalogue',
          parameters: [
            {
              name: 'q',
              in: 'query',
              required: false,
              schema: ListQuery.properties.q,
              description: 'Search words in German or English; typos are tolerated.',
            },
            {
              name: 'lang',
              in: 'query',
              required: false,
              schema: { type: 'string', enum: ['de', 'en'] },
              description: 'Language of titles and summaries (default de).',
            },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: ListQuery.properties.limit,
              description: 'Services per page (default 50, at most 100).',
            },
            {
              name: 'offset',
              in: 'query',
              required: false,
              schema: ListQuery.properties.offset,
              description: 'Matches to skip, for the following pages; `total` counts all matches.',
            },
          ],
          responses: {
            200: {
              description: 'Matching services, best first',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ServiceList' } } },
            },
            400: {
              description: 'Invalid query',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
      '/api/v1/services/{id}': {
        get: {
          operationId: 'getService',
          summary: 'The current definition of one service',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: {
              description: 'The service definition',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ServiceDefinition' } } },
            },
            404: {
              description: 'No such service',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
      ...more?.paths,
    },
    components: {
      schemas: {
        ServiceList: ListResponse,
        ServiceSummary,
        Error: ErrorResponse,
        ServiceDefinition: { ...ServiceDefinition, $id: undefined },
        ...more?.schemas,
      },
    },
  }))
}
