import type { FastifyPluginAsync } from 'fastify'
import { isDatabaseReachable } from '../db/database.js'
import { isLocale } from '../i18n/i18n.js'
import { setLanguageCookie } from '../auth/sessions.js'
import { NotFound } from './errors.js'

/** Health, language switch: routes every module relies on. */
export const platformRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { config: { skipSession: true } }, async (_req, reply) => {
    const ok = await isDatabaseReachable(app.db).catch(() => false)
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'database unreachable' })
  })

  app.get<{ Params: { locale: string }; Querystring: { return?: string } }>('/language/:locale', {
    schema: { params: { type: 'object', properties: { locale: { type: 'string' } }, required: ['locale'] }, querystring: { type: 'object', properties: { return: { type: 'string', maxLength: 2000 } } } },
  }, async (req, reply) => {
    if (!isLocale(req.params.locale)) throw new NotFound()
    setLanguageCookie(reply, app.config, req.params.locale)
    const account = req.session?.account
    if (account) await app.db.updateTable('accounts').set({ locale: req.params.locale }).where('id', '=', account.id).execute()
    // Only local paths: an open redirect would let others borrow the city's domain.
    const target = req.query.return && /^\/(?!\/)/.test(req.query.return) && !req.query.return.includes('\\') ? req.query.return : '/'
    return reply.redirect(target, 303)
  })
}
