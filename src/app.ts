import crypto from 'node:crypto'
import { sql } from 'kysely'
import Fastify, { type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import { createVirusScanner } from './platform/files/virus-scan.js'
import { legalRoutes } from './modules/legal/index.js'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import type { Config } from './platform/config.js'
import type { Db } from './platform/db/database.js'
import { requestLocalePlugin, sessionsPlugin, sessionTimeout } from './platform/auth/sessions.js'
import { sessionRoutes } from './platform/auth/session.routes.js'
import { answerWithJson, answerWithPage, notFoundJson, notFoundPage } from './platform/http/error-policy.js'
import { ErrorBody } from './platform/http/api-schemas.js'
import { countRequestsPlugin, requestLimitPlugin } from './platform/http/request-limit.js'
import type { PageContext } from './platform/views/page-context.js'
import type { ServiceRegistry } from './modules/catalogue/index.js'
import { catalogueRoutes, catalogueApiRoutes } from './modules/catalogue/index.js'
import {
  applicationAccountRoutes,
  applicationRoutes,
  applicationApiRoutes,
  submitPaidDraft,
} from './modules/applications/index.js'
import { accountRoutes } from './modules/accounts/index.js'
import { identityRoutes, signInOptions, type IdentityProviderConfig } from './modules/identity/index.js'
import {
  identityFormActionOrigins,
  identityLogoutRedirect,
  identityProtocols,
  identityProvidersOf,
} from './identity.js'
import { postboxRoutes, countUnreadMessages } from './modules/postbox/index.js'
import { checksMandates, isMemberOfACompany, mandateBackofficeRoutes, mandateRoutes } from './modules/mandates/index.js'
import { backofficeRoutes, finalStatuses, type CaseKernel } from './modules/cases/index.js'
import { platformCaseKernel } from './case-kernel.js'
import { efileRoutes } from './modules/efile/index.js'
import { reportRoutes, reportCaseworkRoutes } from './modules/reports/index.js'
import {
  contactRoutes,
  contactCaseworkRoutes,
  contactRoutingSettings,
  type ContactRoutingSettings,
} from './modules/contact/index.js'
import { faviconRoute, languageRoutes, probeRoutes } from './platform/http/platform.routes.js'
import { proofOfWorkRoutes } from './platform/http/proof-of-work.js'
import { registerSecurityHeaders } from './platform/http/security-headers.js'
import { refuseMalformedOrigin } from './platform/http/origin.js'
import {
  DEMO_DIRECTORY_PREFIX,
  directoryDemoRoutes,
  staffAuthRoutes,
  staffAdminRoutes,
  staffAdminJobsRoutes,
} from './modules/staff/index.js'
import { staffDirectoryOf } from './staff-directory.js'
import { apiKeyAdminRoutes, open311Routes, OPEN311_PREFIX } from './modules/open311/index.js'
import { retentionRoutes } from './modules/retention/index.js'
import { caseRecordHolders } from './retention.js'
import { devMailRoutes } from './platform/mail/mail.routes.js'
import {
  createPaymentProvider,
  paymentAccountRoutes,
  paymentCaseworkRoutes,
  paymentNotifyRoutes,
  paymentRoutes,
} from './modules/payments/index.js'
import { treasuryRoutes } from './modules/treasury/index.js'
import { triageRoutes } from './modules/triage/index.js'
import { noticeAssetRoutes, noticeRoutes } from './modules/notices/index.js'
import type { LiveHub } from './platform/live/index.js'
import type { Clock } from './platform/clock.js'
import type { PdfSigners } from './platform/signing/index.js'
import { createMetrics, type Metrics } from './platform/metrics/index.js'
import { efileCaseAccess, messageParts, recordReplyInCase, servicePageParts, staffAdminLookups } from './extensions.js'
import { privacyRoutes } from './modules/privacy/index.js'
import { suggestionRoutes, suggestionsPart, type LifeEventRule } from './modules/suggestions/index.js'
import { personalDataHolders } from './personal-data.js'
import {
  bookingFeedRoutes,
  bookingStaffRoutes,
  loadResources,
  ResourceCatalogue,
  resourcesOfStaff,
} from './modules/booking/index.js'
import { videoBackofficeRoutes, videoRoutes } from './modules/video/index.js'
import { appointmentAccountRoutes, appointmentRoutes } from './modules/appointments/index.js'
import {
  facilityAccountRoutes,
  facilityOfficeRoutes,
  facilityPublicRoutes,
  isSportsOffice,
} from './modules/facilities/index.js'

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
  /** The rules of what usually comes next (services/_life-events.yaml), checked at start; none when left out. */
  lifeEvents?: readonly LifeEventRule[]
  /** What can be booked (services/_resources.yaml), checked at start; read from the file when left out. */
  resources?: ResourceCatalogue
  logger?: boolean
  /** What the features add to cases; the platform's own (src/case-kernel.ts) unless a test brings its own. */
  caseKernel?: CaseKernel
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
    /** What can be booked: counters, video desks, halls and rooms (services/_resources.yaml). */
    resources: ResourceCatalogue
    /** Every route as registered, for the tests that try all of them (access, fuzzing). */
    routeList: { method: string; url: string }[]
  }
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
  lifeEvents,
  resources,
  logger,
  caseKernel,
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
  app.decorate(
    'resources',
    resources ??
      new ResourceCatalogue(
        loadResources(
          config.servicesDir,
          services.offices.map(o => o.id),
        ),
      ),
  )
  app.decorate('contactRouting', contactRoutingSettings(config, services.offices))
  app.decorate('live', live)
  app.decorate('signers', signers)
  app.decorate('caseKernel', caseKernel ?? platformCaseKernel())
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
  app.decorate('virusScanner', createVirusScanner(config, app.log))
  const routeList: { method: string; url: string }[] = []
  app.decorate('routeList', routeList)
  app.addHook('onRoute', route => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeList.push({ method, url: route.url })
  })

  // Read once (a wrong config/identity.yaml stopped the start already): headers, sign-in pages and services share it.
  const identityProviders = identityProvidersOf(config)
  await registerSecurityHeaders(app, config, {
    formActionOrigins: identityFormActionOrigins(identityProviders).filter(o => o !== new URL(config.baseUrl).origin),
  })
  await app.register(cookie)
  await app.register(formbody)
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: config.maxUploadBytes, files: 10, fields: 300, fieldSize: 100_000, parts: 320 },
    // A file over the limit is cut off and marked, not thrown: the form can say so at its field (readFormInput).
    throwFileSizeLimit: false,
  })
  await app.register(requestLocalePlugin)
  // After the locale: the refusal is a page or JSON in the visitor's language.
  refuseMalformedOrigin(app)
  // Static files: no session, not counted by the request limit; a missing one gets the web's 404 page.
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
  // One limiter for the whole app; each context whose requests count registers countRequestsPlugin.
  await app.register(requestLimitPlugin, { db, config, clock })

  app.decorate(
    'pageContext',
    async (req): Promise<PageContext> => ({
      t: req.t,
      locale: req.locale,
      path: req.url,
      csrfToken: req.session?.csrfToken ?? '',
      sessionTimeout: sessionTimeout(req.session, config, clock.now()),
      account: req.session?.account ?? null,
      staff: req.session?.staff ?? null,
      unreadMessages: req.session?.account ? await countUnreadMessages(db, req.session.account.id) : 0,
      checksMandates: !!req.session?.staff && checksMandates(req.session.staff, config.mandatesOffice),
      allocatesHalls: !!req.session?.staff && isSportsOffice(req.session.staff),
      actsForCompany:
        req.session?.account?.kind === 'citizen' ? await isMemberOfACompany(db, req.session.account.id) : false,
      devMail: config.devMail,
      cityName: config.cityName,
      booksAppointments: !!req.session?.staff && resourcesOfStaff(app.resources, req.session.staff).length > 0,
    }),
  )
  // Outside both contexts are only the static files, which belong to the website.
  app.setErrorHandler(answerWithPage)

  // The demo identity providers answer other servers' and their own forms, so they stand outside both contexts.
  if (config.identityDemo)
    for (const protocol of identityProtocols)
      if (protocol.demo)
        await app.register(protocol.demo.routes, { config, prefix: `/dev/identity/${protocol.protocol}` })
  // The demo directory staff sign in with (config/staff-directory.demo.yaml), beside the citizens' demo providers.
  if (config.identityDemo) await app.register(directoryDemoRoutes, { config, prefix: DEMO_DIRECTORY_PREFIX })
  await app.register(identityCrossSiteContext, { providers: identityProviders })
  await app.register(machineContext, { config, db, services, identityProviders })
  await app.register(webContext, { config, db, services, lifeEvents, identityProviders })
  return app
}

/**
 * What identity providers post to us from their own site (SAML's ACS and Single Logout): no session and no CSRF token
 * of ours (the provider's signature authenticates the message), answered with pages; counted by the request limit.
 */
async function identityCrossSiteContext(app: FastifyInstance, { providers }: { providers: IdentityProviderConfig[] }) {
  await app.register(countRequestsPlugin)
  for (const protocol of identityProtocols)
    if (protocol.crossSiteRoutes)
      await app.register(protocol.crossSiteRoutes(providers.filter(p => p.protocol === protocol.protocol)))
}

type ContextDeps = Pick<AppDeps, 'config' | 'db' | 'services'> & {
  lifeEvents?: AppDeps['lifeEvents']
  /** The identity providers people may sign in with (config/identity.yaml and, in development, the demos). */
  identityProviders: IdentityProviderConfig[]
}

/**
 * The web context: every page and form. Each request is counted by the request limit and gets a session; a POST
 * needs the session's CSRF token; errors and unknown URLs are answered with a page (docs/http.md).
 */
async function webContext(
  app: FastifyInstance,
  { config, db, services, lifeEvents = [], identityProviders }: ContextDeps,
) {
  app.setErrorHandler(answerWithPage)
  app.setNotFoundHandler(notFoundPage)
  // Before the sessions: a refused request costs no session lookup and creates no session.
  await app.register(countRequestsPlugin)
  await app.register(sessionsPlugin, { db, config, clock: app.clock })
  await app.register(sessionRoutes)

  await app.register(languageRoutes)
  await app.register(catalogueRoutes, { servicePageParts })
  await app.register(applicationRoutes, { servicePageParts, identityProviders })
  await app.register(reportRoutes)
  await app.register(contactRoutes)
  await app.register(appointmentRoutes)
  await app.register(appointmentAccountRoutes)
  await app.register(legalRoutes)
  await app.register(facilityPublicRoutes)
  await app.register(accountRoutes, {
    signInOptions: (locale, returnTo) => signInOptions(identityProviders, locale, returnTo),
    logoutRedirect: identityLogoutRedirect(identityProviders),
    providerName: (id, locale) => {
      const provider = identityProviders.find(p => p.id === id)
      return provider && (provider.name?.[locale] ?? provider.label[locale])
    },
  })
  await app.register(identityRoutes, { protocols: identityProtocols, providers: identityProviders })
  await app.register(privacyRoutes, { holders: personalDataHolders })
  await app.register(staffAuthRoutes, {
    directory: staffDirectoryOf(
      config,
      services.offices.map(o => o.id),
      app,
    ),
  })
  if (config.devMail) await app.register(devMailRoutes)
  // Its page books fake payments: without the sandbox as the provider the URL does not exist.
  if (config.paymentProvider === 'sandbox') await app.register(paymentRoutes)
  await app.register(applicationAccountRoutes, { parts: [suggestionsPart(lifeEvents)] })
  await app.register(suggestionRoutes, { rules: lifeEvents })
  await app.register(postboxRoutes, { messageParts, recordReplyInCase })
  await app.register(paymentAccountRoutes)
  await app.register(mandateRoutes, { officeId: config.mandatesOffice })
  await app.register(mandateBackofficeRoutes, { officeId: config.mandatesOffice })
  await app.register(facilityAccountRoutes)
  await app.register(facilityOfficeRoutes)
  await app.register(paymentCaseworkRoutes)
  await app.register(backofficeRoutes)
  await app.register(reportCaseworkRoutes)
  await app.register(contactCaseworkRoutes)
  await app.register(efileRoutes, { cases: efileCaseAccess })
  await app.register(noticeRoutes)
  await app.register(noticeAssetRoutes)
  await app.register(staffAdminRoutes, { lookups: staffAdminLookups })
  await app.register(treasuryRoutes)
  await app.register(triageRoutes)
  await app.register(staffAdminJobsRoutes)
  await app.register(apiKeyAdminRoutes)
  await app.register(retentionRoutes, { holders: caseRecordHolders })
  await app.register(bookingStaffRoutes)
  await app.register(videoRoutes)
  await app.register(videoBackofficeRoutes)
}

/**
 * The machine context: APIs, provider notifications, probes. No session and no CSRF token (they authenticate
 * otherwise, by API key, signature or token, or not at all); errors are `{ code, message }` JSON (docs/http.md).
 */
async function machineContext(app: FastifyInstance, deps: ContextDeps) {
  app.setErrorHandler(answerWithJson)
  // Not counted by the request limit: orchestrators and scrapers poll these all day.
  await app.register(probeRoutes)
  await app.register(countedMachineRoutes, deps)
}

async function countedMachineRoutes(app: FastifyInstance, { config, db, services, identityProviders }: ContextDeps) {
  await app.register(countRequestsPlugin)
  // A provider's server telling us of a logout at its end (OIDC back-channel logout): signed, not a browser's.
  for (const protocol of identityProtocols)
    if (protocol.machineRoutes)
      await app.register(protocol.machineRoutes(identityProviders.filter(p => p.protocol === protocol.protocol)))
  await app.register(faviconRoute)
  await app.register(proofOfWorkRoutes)
  await app.register(paymentNotifyRoutes, {
    onDraftPaid: draftId => submitPaidDraft(db, services, draftId, app.contactRouting),
  })
  await app.register(apiRoutes, { prefix: '/api', config })
  // Staff calendar feeds: calendar programs have no session; the secret in the URL authenticates (docs/booking.md).
  await app.register(bookingFeedRoutes)
  // Open311 answers in its own formats, errors and unknown URLs included (open311.routes.ts).
  await app.register(open311Routes, { prefix: OPEN311_PREFIX })
}

/** /api: the JSON API (v1) and its OpenAPI document, generated from the route schemas. */
async function apiRoutes(app: FastifyInstance, { config }: { config: Config }) {
  app.setNotFoundHandler(notFoundJson)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Bauhaus API',
        version: '1.0.0',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
        description:
          'Service catalogue of the city and submission of applications. No API key is needed: submissions are open to the same people as the forms (services without sign-in), within the request limits.',
      },
      servers: [{ url: config.baseUrl }],
      tags: [
        { name: 'catalogue', description: 'The services the city offers, with their forms' },
        { name: 'applications', description: 'Complete applications submitted by other systems' },
      ],
    },
    // Components are named by the shared schemas' $id (ServiceList, Error, …), not def-0, def-1.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  })
  app.addSchema(ErrorBody)
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  await app.register(catalogueApiRoutes, { prefix: '/v1' })
  await app.register(applicationApiRoutes, { prefix: '/v1' })
}
