import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SessionAccount } from '../../platform/auth/sessions.js'
import { Forbidden } from '../../platform/http/errors.js'

/**
 * preHandler for citizen and business pages: without an account session a page request goes to
 * the login and comes back afterwards; anything else (POST …) is refused with 403.
 */
export async function requireAccount(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (req.session?.account) return
  if (req.method === 'GET' || req.method === 'HEAD') {
    return reply.redirect(`/login?return=${encodeURIComponent(req.url)}`, 303)
  }
  throw new Forbidden('accounts.errors.loginRequired')
}

/** The signed-in account; for handlers behind requireAccount. Throws 403 when there is none. */
export function accountOf(req: FastifyRequest): SessionAccount {
  const account = req.session?.account
  if (!account) throw new Forbidden('accounts.errors.loginRequired')
  return account
}
