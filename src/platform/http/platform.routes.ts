import type { FastifyPluginAsync } from 'fastify'
import { isDatabaseReachable } from '../db/database.js'
import { pendingMigrations } from '../db/migrate.js'
import { registerMetricsRoute } from '../metrics/index.js'
import { isLocale } from '../i18n/i18n.js'
import { setLanguageCookie } from '../auth/sessions.js'
import { NotFound } from './errors.js'
import { safeReturnPath } from './return-path.js'

/** Health, readiness, metrics: for the orchestrator and the scraper; no session, not counted by the request limit. */
export const probeRoutes: FastifyPluginAsync = async app => {
  // Liveness: the process answers. A database outage is not a reason to restart it (readiness says so).
  app.get('/healthz', async (_req, reply) => reply.send({ status: 'ok' }))

  // Readiness: send traffic here only when the database answers and every migration of this code is applied.
  app.get('/readyz', async (_req, reply) => {
    if (!(await isDatabaseReachable(app.db).catch(() => false)))
      return reply.code(503).send({ status: 'database unreachable' })
    const pending = await pendingMigrations(app.db).catch(() => null)
    if (pending === null) return reply.code(503).send({ status: 'database unreachable' })
    if (pending.length) return reply.code(503).send({ status: 'migrations pending', pending })
    return reply.send({ status: 'ready' })
  })

  registerMetricsRoute(app, app.metrics, {
    token: app.config.metricsToken,
    allowedAddresses: app.config.metricsAllowedAddresses,
  })
}

/** Browsers and bookmark tools ask for /favicon.ico whatever the page links; the icon is the SVG the layout names. */
export const faviconRoute: FastifyPluginAsync = async app => {
  app.get('/favicon.ico', async (_req, reply) => reply.redirect('/assets/favicon.svg', 301))
}

/** The language switch of every page. */
export const languageRoutes: FastifyPluginAsync = async app => {
  app.get<{ Params: { locale: string }; Querystring: { return?: string } }>(
    '/language/:locale',
    {
      schema: {
        params: { type: 'object', properties: { locale: { type: 'string' } }, required: ['locale'] },
        querystring: { type: 'object', properties: { return: { type: 'string', maxLength: 2000 } } },
      },
    },
    async (req, reply) => {
      if (!isLocale(req.params.locale)) throw new NotFound()
      setLanguageCookie(reply, app.config, req.params.locale)
      const account = req.session?.account
      if (account)
        await app.db.updateTable('accounts').set({ locale: req.params.locale }).where('id', '=', account.id).execute()
      return reply.redirect(safeReturnPath(req.query.return) ?? '/', 303)
    },
  )
}
