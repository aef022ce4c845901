import type { FastifyPluginAsync } from 'fastify'
import { feedCalendar } from './booking.feeds.js'
import { FeedNotFound } from './booking.staff.errors.js'

const FeedParams = {
  type: 'object',
  properties: { feedId: { type: 'string', maxLength: 64 }, secret: { type: 'string', maxLength: 100 } },
  required: ['feedId', 'secret'],
} as const

/**
 * The staff calendar feeds (GET /kalender/<feed>/<secret>.ics), in the machine context: calendar programs bring no
 * session cookie and no CSRF token, the secret in the path is what authenticates, and an error is a short JSON
 * answer, not a page. A wrong, revoked or made-up URL answers 404 alike.
 */
export const bookingFeedRoutes: FastifyPluginAsync = async app => {
  app.get<{ Params: { feedId: string; secret: string } }>(
    '/kalender/:feedId/:secret',
    { schema: { params: FeedParams } },
    async (req, reply) => {
      const { feedId, secret } = req.params
      if (!secret.endsWith('.ics')) throw new FeedNotFound()
      const text = await feedCalendar(
        app.db,
        app.resources,
        feedId,
        secret.slice(0, -'.ics'.length),
        app.clock.now(),
        app.config.baseUrl,
      )
      return reply
        .code(200)
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .header('x-robots-tag', 'noindex')
        .send(text)
    },
  )
}
