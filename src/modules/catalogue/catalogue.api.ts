import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ServiceDefinition } from './definition.schema.js'
import type { ServiceDefinition as Definition } from './definition.schema.js'
import { errorAnswers, refTo } from '../../platform/http/api-schemas.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import { requiredAssurance } from './definition.assurance.js'

const ServiceSummary = Type.Object(
  {
    id: Type.String(),
    version: Type.Integer(),
    leikaKey: Type.Optional(Type.String()),
    title: Type.String(),
    summary: Type.String(),
    office: Type.Object({ id: Type.String(), name: Type.String() }),
    audience: Type.Array(Type.String()),
    lifeSituations: Type.Array(Type.String()),
    loginRequired: Type.Boolean(),
    assurance: Type.Union([Type.Literal('low'), Type.Literal('substantial'), Type.Literal('high')], {
      description:
        'eIDAS level of assurance the applicant must be signed in with (above low: through BundID or ELSTER, in the portal only)',
    }),
    url: Type.String(),
  },
  { $id: 'ServiceSummary' },
)
const ServiceList = Type.Object(
  {
    total: Type.Integer({ description: 'All matches, of which this page shows at most `limit`' }),
    services: Type.Array(refTo(ServiceSummary)),
  },
  { $id: 'ServiceList' },
)
// The definition's own $id is a URL; OpenAPI names components by a plain word.
const Service = { ...ServiceDefinition, $id: 'ServiceDefinition' }
const ListQuery = Type.Object({
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Search words in German or English; typos are tolerated.' }),
  ),
  lang: Type.Optional(
    Type.Union([Type.Literal('de'), Type.Literal('en')], {
      description: 'Language of titles and summaries (default de).',
    }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 50,
      description: 'Services per page (default 50, at most 100).',
    }),
  ),
  offset: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 10000,
      default: 0,
      description: 'Matches to skip, for the following pages; `total` counts all matches.',
    }),
  ),
})
const IdParams = Type.Object({
  id: Type.String({ maxLength: 80, description: 'The service id, e.g. hundesteuer-anmeldung' }),
})

/** The catalogue as JSON for other systems; mounted under /api/v1 in the machine context (src/app.ts). */
export const catalogueApiRoutes: FastifyPluginAsyncTypebox = async app => {
  app.addSchema(ServiceSummary)
  app.addSchema(ServiceList)
  app.addSchema(Service)

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
    assurance: requiredAssurance(def),
    url: `${app.config.baseUrl}/services/${def.id}`,
  })

  app.get(
    '/services',
    {
      schema: {
        operationId: 'listServices',
        summary: 'Search the service catalogue',
        description: 'Only services that can be submitted online are listed.',
        tags: ['catalogue'],
        querystring: ListQuery,
        response: { 200: { ...refTo(ServiceList), description: 'Matching services, best first' }, ...errorAnswers },
      },
    },
    async req => {
      const lang = req.query.lang ?? 'de'
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

  app.get(
    '/services/:id',
    {
      schema: {
        operationId: 'getService',
        summary: 'The current definition of one service',
        description: 'Its form (pages, fields, conditions), fees, workflow and texts in German and English.',
        tags: ['catalogue'],
        params: IdParams,
        response: { 200: { ...refTo(Service), description: 'The service definition' }, ...errorAnswers },
      },
      // The definition is sent as loaded, as JSON.stringify writes it; the schema above documents it.
      serializerCompiler: () => data => JSON.stringify(data),
    },
    async req => app.services.get(req.params.id),
  )
}
