import crypto from 'node:crypto'
import { sql } from 'kysely'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import fastifyStatic from '@fastify/static'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import type { Config } from './platform/config.js'
import type { Db } from './platform/db/database.js'
import { sessionsPlugin } from './platform/auth/sessions.js'
import { DomainError } from './platform/http/errors.js'
import { requestLimitPlugin } from './platform/http/request-limit.js'
import { sendHtml, type PageContext } from './platform/views/page-context.js'
import { ErrorPage } from './platform/views/error-page.js'
import type { ServiceRegistry } from './modules/catalogue/index.js'
import { catalogueRoutes, catalogueApiRoutes } from './modules/catalogue/index.js'
import {
  applicationRoutes,
  applicationApiRoutes,
  applicationApiDocs,
  submitPaidDraft,
} from './modules/applications/index.js'
import { accountRoutes } from './modules/accounts/index.js'
import { postboxRoutes, countUnreadMessages } from './modules/postbox/index.js'
import { backofficeRoutes, finalStatuses } from './modules/cases/index.js'
import { efileRoutes } from './modules/efile/index.js'
import { reportRoutes, reportCaseworkRoutes } from './modules/reports/index.js'
import {
  contactRoutes,
  contactCaseworkRoutes,
  contactRoutingSettings,
  type ContactRoutingSettings,
} from './modules/contact/index.js'
import { platformRoutes } from './platform/http/platform.routes.js'
import { proofOfWorkRoutes } from './platform/http/proof-of-work.js'
import {
  staffAuthRoutes,
  staffAdminRoutes,
  staffAdminJobsRoutes,
  staffAdminApiKeysRoutes,
} from './modules/staff/index.js'
import { open311Routes, OPEN311_PREFIX } from './modules/open311/index.js'
import { devMailRoutes } from './platform/mail/mail.routes.js'
import {
  createPaymentProvider,
  paymentAccountRoutes,
  paymentCaseworkRoutes,
  paymentRoutes,
} from './modules/payments/index.js'
import { treasuryRoutes } from './modules/treasury/index.js'
import { triageRoutes } from './modules/triage/index.js'
import { noticeAssetRoutes, noticeRoutes } from './modules/notices/index.js'
import type { LiveHub } from './platform/live/index.js'
import type { Clock } from './platform/clock.js'
import type { PdfSigners } from './platform/signing/index.js'
import { createMetrics, registerMetricsRoute, type Metrics } from './platform/metrics/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

export interface AppDeps {
  config: Config
  /** Time for every decision the app makes by it (request-limit windows, sign-in pauses, due dates …). */
  clock: Clock
  db: Db
  services: ServiceRegistry
  live: LiveHub
  signers: PdfSigners
  logger?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    config: Config
    clock: Clock
    services: ServiceRegistry
    /** Live updates: subscribe to topics, stream them to browsers as server-sent events. */
    live: LiveHub
    metrics: Metrics
    /** Signs PDF letters with the office's certificate: app.signers.signerFor(officeId, officeName).sign(pdf, info). */
    signers: PdfSigners
    /** Where free-text enquiries go (TRIAGE_FALLBACK_OFFICE, checked against the offices at start). */
    contactRouting: ContactRoutingSettings
    /** Every route as registered, for the tests that try all of them (access, fuzzing). */
    routeList: { method: string; url: string }[]
  }
}

/**
 * Input the parsers or the database refuse as malformed: a broken multipart body (busboy throws
 * without a status), or text PostgreSQL cannot store (SQLSTATE class 22, e.g. a NUL byte).
 */
function isMalformedInput(error: FastifyError & { code?: string }): boolean {
  if (!error.statusCode && /multipart|boundary/i.test(error.message)) return true
  return typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code)
}

/** The database went away mid-request (restart, failover, network): nothing was committed, a retry may succeed. */
function isDatabaseUnavailable(error: FastifyError & { code?: string }): boolean {
  if (typeof error.code === 'string' && /^(08\d{3}|57P0[123]|ECONNREFUSED|ECONNRESET|EPIPE)$/.test(error.code))
    return true
  return /^Connection terminated|^Client has encountered a connection error/.test(error.message)
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** SQL true for a case not in a final state of its service's workflow (by the current definitions). */
function openCaseFilter(services: ServiceRegistry) {
  const finals = services.all().flatMap(d => finalStatuses(d).map(status => sql`(${d.id}::text, ${status}::text)`))
  return finals.length
    ? sql<boolean>`(cases.service_id, cases.status) not in (${sql.join(finals)})`
    : sql<boolean>`true`
}

/** Builds the whole platform as one Fastify app; main.ts listens, tests inject. */
export async function buildApp({
  config,
  clock,
  db,
  services,
  live,
  signers,
  logger,
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger === false ? false : { level: config.logLevel },
    // A request id from the proxy in front is kept (so its log lines and ours match); otherwise one is made.
    genReqId: req => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID()
    },
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For only from the proxies named in TRUST_PROXY (default: this machine and private networks).
    trustProxy: config.trustedProxies,
    // Ajv coerces query strings ("2" → 2) and strips nothing the schema does not know.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  })
  app.decorate('db', db)
  app.decorate('config', config)
  app.decorate('clock', clock)
  app.decorate('services', services)
  app.decorate('contactRouting', contactRoutingSettings(config, services.offices))
  app.decorate('live', live)
  app.decorate('signers', signers)
  const metrics = createMetrics(db, { openCaseFilter: () => openCaseFilter(services), clock })
  app.decorate('metrics', metrics)
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })
  app.addHook('onResponse', async (req, reply) => {
    metrics.observeRequest(req, reply)
  })
  // Open event streams would keep the server from closing; they end first, the browsers reconnect elsewhere.
  app.addHook('preClose', async () => {
    await live.close()
  })
  app.decorate('paymentProvider', createPaymentProvider(config, db))
  const routeList: { method: string; url: string }[] = []
  app.decorate('routeList', routeList)
  app.addHook('onRoute', route => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: route.url })
  })

  await app.register(cookie)
  await app.register(formbody)
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: config.maxUploadBytes, files: 10, fields: 300, fieldSize: 100_000, parts: 320 },
    // A file over the limit is cut off and marked, not thrown: the form can say so at its field (readFormInput).
    throwFileSizeLimit: false,
  })
  await app.register(fastifyStatic, {
    root: path.dirname(require.resolve('@kern-ux/native/dist/kern.css')),
    prefix: '/assets/kern/',
    decorateReply: false,
  })
  await app.register(fastifyStatic, {
    root: path.join(root, 'public'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
  })
  // Before the sessions: a refused request costs no session lookup and creates no session.
  await app.register(requestLimitPlugin, { db, config, clock })
  await app.register(sessionsPlugin, { db, config })

  app.decorate(
    'pageContext',
    async (req): Promise<PageContext> => ({
      t: req.t,
      locale: req.locale,
      path: req.url,
      csrfToken: req.session?.csrfToken ?? '',
      account: req.session?.account ?? null,
      staff: req.session?.staff ?? null,
      unreadMessages: req.session?.account ? await countUnreadMessages(db, req.session.account.id) : 0,
      devMail: config.devMail,
      cityName: config.cityName,
    }),
  )

  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    const unavailable = isDatabaseUnavailable(error)
    if (unavailable) reply.header('retry-after', '5')
    const status =
      error instanceof DomainError
        ? error.statusCode
        : error.validation || isMalformedInput(error)
          ? 400
          : unavailable
            ? 503
            : error.statusCode && error.statusCode >= 400 && error.statusCode < 500
              ? error.statusCode
              : 500
    if (status >= 500) req.log.error({ err: error }, 'request failed')
    else req.log.info({ code: error.code, message: error.message }, 'request refused')
    const t = req.t
    const message =
      error instanceof DomainError
        ? t.text(error.messageKey, error.params)
        : error.validation
          ? t.text('errors.invalidRequest', {
              detail:
                `${error.validationContext ?? ''}${error.validation[0]?.instancePath ?? ''} ${error.validation[0]?.message ?? ''}`.trim(),
            })
          : status === 413
            ? t.text('errors.tooLarge')
            : status === 415
              ? t.text('errors.unsupportedMediaType')
              : status === 503
                ? t.text('errors.unavailable')
                : status < 500
                  ? t.text('errors.badRequest')
                  : t.text('errors.internal')
    if (
      req.url.startsWith('/api/') ||
      req.url.startsWith('/healthz') ||
      req.url.startsWith('/readyz') ||
      req.url.startsWith('/payments/notify/')
    ) {
      return reply
        .code(status)
        .send({ code: error instanceof DomainError ? error.messageKey : (error.code ?? 'error'), message })
    }
    if (!t) return reply.code(status).type('text/plain').send(message)
    const ctx = await app.pageContext(req).catch(() => null)
    if (!ctx) return reply.code(status).type('text/plain').send(message)
    return sendHtml(reply, ErrorPage({ ctx, status, message }), status)
  })

  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/'))
      return reply.code(404).send({ code: 'errors.notFound', message: req.t.text('errors.notFound') })
    const ctx = await app.pageContext(req)
    return sendHtml(reply, ErrorPage({ ctx, status: 404, message: req.t.text('errors.notFound') }), 404)
  })

  await app.register(platformRoutes)
  await app.register(proofOfWorkRoutes)
  await app.register(catalogueRoutes)
  await app.register(catalogueApiRoutes, { more: applicationApiDocs })
  await app.register(applicationRoutes)
  await app.register(applicationApiRoutes)
  await app.register(reportRoutes)
  await app.register(contactRoutes)
  await app.register(accountRoutes)
  await app.register(staffAuthRoutes)
  if (config.devMail) await app.register(devMailRoutes)
  await app.register(paymentRoutes, {
    onDraftPaid: draftId => submitPaidDraft(db, services, draftId, app.contactRouting),
  })
  await app.register(postboxRoutes)
  await app.register(paymentAccountRoutes)
  await app.register(paymentCaseworkRoutes)
  await app.register(backofficeRoutes)
  await app.register(reportCaseworkRoutes)
  await app.register(contactCaseworkRoutes)
  await app.register(efileRoutes)
  await app.register(noticeRoutes)
  await app.register(noticeAssetRoutes)
  await app.register(staffAdminRoutes)
  await app.register(treasuryRoutes)
  await app.register(triageRoutes)
  await app.register(staffAdminJobsRoutes)
  await app.register(staffAdminApiKeysRoutes)
  await app.register(open311Routes, { prefix: OPEN311_PREFIX })
  return app
}
