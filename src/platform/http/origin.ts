import type { FastifyInstance } from 'fastify'
import { BadRequest } from './errors.js'

/** What a browser sends as `Origin` (RFC 6454): "null", or a scheme, host and optional port, nothing more. */
function isWellFormedOrigin(origin: string): boolean {
  if (origin === 'null') return true
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i.test(origin)) return false
  return URL.canParse(origin)
}

/**
 * A malformed `Origin` header is refused with 400 before anything reads it (the sessions' cross-site check compares
 * its host): no browser sends one, and a parse error deeper down would be a 500.
 */
export function refuseMalformedOrigin(app: FastifyInstance) {
  app.addHook('onRequest', async req => {
    const origin = req.headers.origin
    if (origin !== undefined && !isWellFormedOrigin(origin)) throw new BadRequest('errors.malformedOrigin')
  })
}
