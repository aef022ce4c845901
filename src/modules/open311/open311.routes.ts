import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { readFormInput } from '../../platform/http/form-input.js'
import { DomainError } from '../../platform/http/errors.js'
import { translator, type Locale, type Translate } from '../../platform/i18n/i18n.js'
import { listPublicReports, listReportCategories, submitReport } from '../reports/index.js'
import { checkApiKey } from './open311.keys.js'
import { FORMATS, isFormat, sendOpen311, type Format } from './open311.format.js'
import {
  ApiKeyRefused,
  FormatNotFound,
  InvalidInput,
  JurisdictionNotFound,
  Open311Error,
  problem,
  RequestNotFound,
  ServiceCodeNotFound,
  type Open311Problem,
} from './open311.errors.js'
import { open311Locale } from './open311.locale.js'
import { serviceDefinitionOf, serviceOf } from './open311.services.js'
import { readRequestFilter, readSubmission, requestOf, single, type RequestContext } from './open311.requests.js'
import { reportProblems } from './open311.report-errors.js'

export const OPEN311_PREFIX = '/open311/v2'
type Values = Record<string, string | string[] | undefined>
type FormatParams = { format: string }

const SPEC = 'http://wiki.open311.org/GeoReport_v2'
const IDEMPOTENCY_KEY_MAX = 200
/** A service_request_id is our public reference; anything else cannot name a request and is not looked up. */
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/

const formatOf = (req: FastifyRequest): Format => {
  const format = (req.params as Partial<FormatParams>).format
  if (!isFormat(format)) throw new FormatNotFound(String(format ?? ''))
  return format
}

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): report categories as services, defect reports
 * as service requests. Everything answers in the spec's shapes, errors included, as XML or JSON by the
 * resource's extension. Registered in the machine context (no session, no cookie, no CSRF token): creating a request
 * is authorised by api_key.
 */
export const open311Routes: FastifyPluginAsync = async app => {
  const categories = () => listReportCategories(app.services)
  const requestContext = (lang: Locale): RequestContext => ({
    categories: categories(),
    lang,
    baseUrl: app.config.baseUrl,
    agencyOf: officeId => app.services.office(officeId)?.name[lang],
    stateLabelOf: state =>
      app.services
        .all()
        .filter(s => s.report)
        .flatMap(s => s.workflow.states)
        .find(s => s.id === state)?.label[lang],
  })
  const localeOf = (req: FastifyRequest, values: Values = {}) =>
    open311Locale(req, single(values, 'locale') ?? single(req.query as Values, 'locale'))

  // One jurisdiction per endpoint: jurisdiction_id is optional (spec, "Definitions"), but a wrong one is a missing resource.
  const checkJurisdiction = (values: Values) => {
    const sent = single(values, 'jurisdiction_id')
    if (sent !== undefined && sent.toLowerCase() !== app.config.open311JurisdictionId)
      throw new JurisdictionNotFound(sent)
  }

  // Reading is public and carries no credentials, so any web app may read it; a browser app may also post with
  // its api_key (no cookie is involved, so a cross-site post gains nothing a direct one would not have).
  app.addHook('onSend', async (_req, reply) => {
    reply.header('access-control-allow-origin', '*')
  })

  app.setNotFoundHandler(async (req, reply) => {
    const t = translator(localeOf(req))
    return sendErrors(reply, 'json', t, 404, [problem(404, 'open311.errors.notFound')])
  })

  app.setErrorHandler(async (error: FastifyError & { code?: string }, req, reply) => {
    const format = isFormat((req.params as Partial<FormatParams> | undefined)?.format)
      ? ((req.params as FormatParams).format as Format)
      : 'json'
    const t = translator(localeOf(req, textFieldsOf(req.body)))
    if (error instanceof Open311Error) return sendErrors(reply, format, t, error.statusCode, error.problems)
    const fromReports = reportProblems(error)
    if (fromReports)
      return sendErrors(reply, format, t, fromReports.status, fromReports.problems, fromReports.retryAfterSeconds)
    if (error instanceof DomainError && error.statusCode < 500) {
      return sendErrors(reply, format, t, 400, [
        { code: error.statusCode, key: error.messageKey, params: error.params },
      ])
    }
    // The body parsers' refusals (unknown content type, broken JSON or multipart, too large) and text the
    // database cannot store (SQLSTATE class 22): each a request that cannot be fulfilled, 400 by the spec.
    const clientError =
      (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) ||
      /multipart|boundary/i.test(error.message) ||
      (typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code))
    if (clientError) {
      const key =
        error.statusCode === 415
          ? 'open311.errors.contentType'
          : error.statusCode === 413
            ? 'open311.errors.tooLarge'
            : 'open311.errors.badRequest'
      req.log.info({ code: error.code, message: error.message }, 'open311 request refused')
      return sendErrors(reply, format, t, 400, [problem(400, key)])
    }
    req.log.error({ err: error }, 'open311 request failed')
    return sendErrors(reply, format, t, 500, [problem(500, 'open311.errors.internal')])
  })

  app.get<{ Params: FormatParams }>('/discovery.:format', async (req, reply) => {
    const format = formatOf(req)
    const t = translator(localeOf(req))
    // Changes with the report service's definition version, which any change to its categories must raise.
    const changeset = app.services
      .all()
      .filter(s => s.report)
      .map(s => `${s.id}-v${s.version}`)
      .join(',')
    return sendOpen311(reply, format, 'discovery', {
      changeset,
      contact: t.text('open311.discovery.contact', { city: app.config.cityName }),
      key_service: t.text('open311.discovery.keyService'),
      endpoints: [
        {
          specification: SPEC,
          url: `${app.config.baseUrl}${OPEN311_PREFIX}`,
          changeset,
          type: 'production',
          formats: FORMATS.map(f => (f === 'xml' ? 'text/xml' : 'application/json')),
        },
      ],
    })
  })

  app.get<{ Params: FormatParams }>('/services.:format', async (req, reply) => {
    const format = formatOf(req)
    checkJurisdiction(req.query as Values)
    const lang = localeOf(req)
    const t = translator(lang)
    return sendOpen311(
      reply,
      format,
      'services',
      categories().map(c => serviceOf(c, lang, t)),
    )
  })

  app.get<{ Params: FormatParams & { service_code: string } }>(
    '/services/:service_code.:format',
    async (req, reply) => {
      const format = formatOf(req)
      checkJurisdiction(req.query as Values)
      const category = categories().find(c => c.code === req.params.service_code)
      if (!category) throw new ServiceCodeNotFound(req.params.service_code)
      return sendOpen311(reply, format, 'service_definition', serviceDefinitionOf(category, translator(localeOf(req))))
    },
  )

  app.post<{ Params: FormatParams }>('/requests.:format', async (req, reply) => {
    const format = formatOf(req)
    const input = await readFormInput(req)
    const query = req.query as Values
    // The spec sends everything in the form body; some clients put api_key or jurisdiction_id in the URL.
    const field = (name: string) => single(input.values, name) ?? single(query, name)
    const lang = localeOf(req, input.values)
    const t = translator(lang)
    checkJurisdiction({ jurisdiction_id: field('jurisdiction_id') })
    const key = await checkApiKey(app.db, field('api_key'))
    if (!key.ok) throw new ApiKeyRefused(key.reason)
    const submission = readSubmission(input, categories())
    const idempotencyKey =
      typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'].trim() : undefined
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > IDEMPOTENCY_KEY_MAX)) {
      throw new InvalidInput([problem(400, 'open311.errors.idempotencyKey', { max: IDEMPOTENCY_KEY_MAX })])
    }
    const created = await submitReport(
      { db: app.db, services: app.services, config: app.config, scanner: app.virusScanner },
      {
        categoryCode: submission.category.code,
        description: submission.description,
        lat: submission.lat,
        lon: submission.lon,
        address: submission.address,
        photos: submission.photos,
        contact: submission.contact,
        accountId: null,
        locale: lang,
        source: 'open311',
        apiKeyId: key.id,
        clientIp: req.ip,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      },
    )
    const agency = app.services.office(submission.category.office)?.name[lang] ?? submission.category.office
    return sendOpen311(reply, format, 'service_requests', [
      {
        service_request_id: created.reference,
        service_notice: t.text('open311.serviceNotice', { agency }),
        // The client's own account ids mean nothing here; Bauhaus accounts are never linked through Open311.
        account_id: null,
      },
    ])
  })

  app.get<{ Params: FormatParams }>('/requests.:format', async (req, reply) => {
    const format = formatOf(req)
    const query = req.query as Values
    checkJurisdiction(query)
    const lang = localeOf(req)
    const filter = readRequestFilter(query, new Date())
    if (filter.ids) filter.ids = filter.ids.filter(id => REQUEST_ID.test(id))
    const reports = filter.ids && filter.ids.length === 0 ? [] : await listPublicReports(app.db, filter)
    const ctx = requestContext(lang)
    return sendOpen311(
      reply,
      format,
      'service_requests',
      reports.map(r => requestOf(r, ctx)),
    )
  })

  app.get<{ Params: FormatParams & { service_request_id: string } }>(
    '/requests/:service_request_id.:format',
    async (req, reply) => {
      const format = formatOf(req)
      checkJurisdiction(req.query as Values)
      const id = req.params.service_request_id
      const found = REQUEST_ID.test(id) ? await listPublicReports(app.db, { ids: [id], limit: 1 }) : []
      if (found.length === 0) throw new RequestNotFound(id)
      const ctx = requestContext(localeOf(req))
      return sendOpen311(
        reply,
        format,
        'service_requests',
        found.map(r => requestOf(r, ctx)),
      )
    },
  )
}

/** The text fields of a parsed body, url-encoded (strings) or multipart (parts with a value), for the error's language. */
function textFieldsOf(body: unknown): Values {
  if (!body || typeof body !== 'object' || Buffer.isBuffer(body) || Array.isArray(body)) return {}
  const values: Values = {}
  for (const [name, raw] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(raw) ? raw[0] : raw
    if (typeof first === 'string') values[name] = first
    else if (first && typeof first === 'object' && typeof (first as { value?: unknown }).value === 'string')
      values[name] = (first as { value: string }).value
  }
  return values
}

function sendErrors(
  reply: FastifyReply,
  format: Format,
  t: Translate,
  status: number,
  problems: Open311Problem[],
  retryAfterSeconds?: number,
) {
  if (retryAfterSeconds) reply.header('retry-after', String(retryAfterSeconds))
  const described = problems.map(p => ({
    code: p.code,
    description: `${p.field ? `${p.field}: ` : ''}${t.text(p.key, p.params)}`,
  }))
  return sendOpen311(reply, format, 'errors', described, status)
}
