import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { NotFound } from '../http/errors.js'
import { uuidParams } from '../http/ids.js'
import { sendHtml } from '../views/page-context.js'
import { refreshSession } from './sessions.js'
import { answerExpiredPost, findKeptForm, isSignInPath, ResumePage } from './session-resume.js'

/**
 * What keeps typing safe across a session's end: a form sent after the session expired is kept (after the CSRF
 * check of the sessions plugin, for every route of the web context), "stay signed in" from the expiry warning, and
 * the page that sends a kept form once more.
 */
export const sessionRoutes = fp(
  async (app: FastifyInstance) => {
    app.addHook('preHandler', async (req, reply) => {
      if (req.method === 'POST' && req.expiredSession && !isSignInPath(req.url))
        return answerExpiredPost(app.db, app.clock.now(), req, reply, req.expiredSession)
    })

    // 204 leaves the page as it is, with or without the script (public/session-expiry.js).
    app.post('/session/refresh', async (req, reply) => {
      if (!(await refreshSession(app.db, req)))
        return reply.code(401).type('text/plain').send(req.t.text('session.warning.expired'))
      return reply.code(204).send()
    })

    app.get<{ Params: { id: string } }>(
      '/session/resume/:id',
      { schema: { params: uuidParams('id') } },
      async (req, reply) => {
        const session = req.session
        if (!session?.account && !session?.staff) throw new NotFound()
        const form = await findKeptForm(
          app.db,
          req.params.id,
          { browserHash: session.idHash, accountId: session.account?.id ?? null, staffId: session.staff?.id ?? null },
          app.clock.now(),
        )
        if (!form) throw new NotFound('session.resume.gone')
        return sendHtml(reply, ResumePage({ ctx: await app.pageContext(req), form }))
      },
    )
  },
  { name: 'session-routes', dependencies: ['sessions'] },
)
