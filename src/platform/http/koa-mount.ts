import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * A Fastify handler that hands the request to a Koa app (the demo OpenID providers, oidc-provider) mounted under
 * `prefix`: the app sees its own path in req.url and the whole one in originalUrl, parses its own body, and answers
 * with the headers the root's hooks set (security headers), which a hijacked reply would otherwise skip.
 */
export function handToKoa(callback: (req: IncomingMessage, res: ServerResponse) => unknown, prefix: string) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) reply.raw.setHeader(name, value as string | number | string[])
    reply.hijack()
    const raw = req.raw as IncomingMessage & { originalUrl?: string }
    raw.originalUrl = raw.url
    raw.url = (raw.url ?? '/').slice(prefix.length) || '/'
    callback(raw, reply.raw)
  }
}
