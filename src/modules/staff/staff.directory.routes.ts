import crypto from 'node:crypto'
import * as oidc from 'openid-client'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { loginSession } from '../../platform/auth/sessions.js'
import { safeReturnPath } from '../../platform/http/return-path.js'
import { sendHtml } from '../../platform/views/page-context.js'
import type { StaffDirectory } from './staff.directory.config.js'
import { authorizationRequest, exchangeCode } from './staff.directory.client.js'
import { insertDirectorySignIn, takeDirectorySignIn } from './staff.directory.queries.js'
import { completeDirectorySignIn } from './staff.directory.service.js'
import { beginPendingSignIn, stepAfterPassword } from './staff.sign-in.js'
import { DirectoryProblemPage, type DirectoryProblem } from './views/directory.js'

/** The directory must answer within this time; a sign-in left longer at the directory starts again. */
export const DIRECTORY_SIGN_IN_MS = 10 * 60_000
export const DIRECTORY_CALLBACK_PATH = '/backoffice/login/directory/callback'

const STATUS: Record<DirectoryProblem, number> = {
  notConfigured: 404,
  unreachable: 502,
  badState: 400,
  expired: 400,
  cancelled: 400,
  rejected: 400,
  invalidToken: 400,
  noAccess: 403,
  noEmail: 400,
  breakGlassAccount: 403,
}

const BeginQuery = {
  type: 'object',
  properties: { return: { type: 'string', maxLength: 2000 } },
} as const
const CallbackQuery = {
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 4000 },
    state: { type: 'string', maxLength: 200 },
    error: { type: 'string', maxLength: 200 },
    error_description: { type: 'string', maxLength: 2000 },
    iss: { type: 'string', maxLength: 2000 },
    session_state: { type: 'string', maxLength: 2000 },
  },
} as const

const hashState = (state: string) => crypto.createHash('sha256').update(state).digest('hex')

/**
 * Signing in through the city's directory (OpenID Connect, authorization code with PKCE): the button's GET sends the
 * browser there; the directory sends it back to the callback, a top-level GET (so the SameSite=Lax cookie comes
 * along), where the ID token is checked and the person provisioned (docs/staff-sso.md).
 */
export const directorySignInRoutes: FastifyPluginAsync<{ directory: StaffDirectory | undefined }> = async (
  app,
  { directory },
) => {
  const redirectUri = new URL(DIRECTORY_CALLBACK_PATH, app.config.baseUrl).href

  const problem = async (req: FastifyRequest, reply: FastifyReply, which: DirectoryProblem, error?: unknown) => {
    // The operator's line: what went wrong, without tokens or codes.
    req.log.warn({ problem: which, err: error }, `staff directory sign-in failed: ${which}`)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, DirectoryProblemPage({ ctx, problem: which }), STATUS[which])
  }

  app.get<{ Querystring: { return?: string } }>(
    '/backoffice/login/directory',
    { schema: { querystring: BeginQuery } },
    async (req, reply) => {
      if (!directory) return problem(req, reply, 'notConfigured')
      let request: Awaited<ReturnType<typeof authorizationRequest>>
      try {
        request = await authorizationRequest(directory, redirectUri)
      } catch (error) {
        return problem(req, reply, classify(error), error)
      }
      await insertDirectorySignIn(app.db, {
        stateHash: hashState(request.state),
        sessionHash: req.session?.idHash ?? '',
        codeVerifier: request.codeVerifier,
        nonce: request.nonce,
        returnTo: safeReturnPath(req.query.return) ?? null,
        now: app.clock.now(),
      })
      return reply.redirect(request.url, 303)
    },
  )

  app.get<{ Querystring: { code?: string; state?: string; error?: string } }>(
    DIRECTORY_CALLBACK_PATH,
    { schema: { querystring: CallbackQuery } },
    async (req, reply) => {
      if (!directory) return problem(req, reply, 'notConfigured')
      // Taken as it is read: a second answer with the same state (a replay, the back button) finds nothing.
      const pending = req.query.state ? await takeDirectorySignIn(app.db, hashState(req.query.state)) : undefined
      if (!pending || pending.sessionHash !== req.session?.idHash) return problem(req, reply, 'badState')
      const now = app.clock.now()
      if (now.getTime() - new Date(pending.startedAt).getTime() > DIRECTORY_SIGN_IN_MS)
        return problem(req, reply, 'expired')
      if (req.query.error) return problem(req, reply, 'cancelled', new Error(`directory answered ${req.query.error}`))
      let outcome: Awaited<ReturnType<typeof completeDirectorySignIn>>
      try {
        const answer = await exchangeCode(directory, new URL(req.url, app.config.baseUrl), {
          state: req.query.state ?? '',
          nonce: pending.nonce,
          codeVerifier: pending.codeVerifier,
        })
        outcome = await completeDirectorySignIn(app.db, directory, app.config.staffDirectoryTokenKey, answer, now)
      } catch (error) {
        return problem(req, reply, classify(error), error)
      }
      if (!outcome.ok) return problem(req, reply, outcome.problem)
      const returnTo = pending.returnTo ?? '/backoffice'
      const step = outcome.directoryMfa
        ? 'complete'
        : await stepAfterPassword(app.db, app.config.staffSecondFactorRoles, outcome.staffId)
      if (step === 'complete') {
        await loginSession(app.db, req, reply, app.config, {
          staffId: outcome.staffId,
          identityProvider: 'staff-directory',
        })
        return reply.redirect(returnTo, 303)
      }
      // The directory did not say it asked for a second factor: ours follows, as after a password.
      await beginPendingSignIn(app.db, req.session?.idHash ?? '', outcome.staffId, returnTo, now)
      return reply.redirect(step === 'enrol' ? '/backoffice/login/enrol' : '/backoffice/login/second-factor', 303)
    },
  )
}

/** Which page an error of the directory exchange deserves; anything else is a fault of ours and goes on to a 500. */
export function classify(error: unknown): DirectoryProblem {
  if (error instanceof oidc.AuthorizationResponseError) return 'cancelled'
  if (error instanceof oidc.ResponseBodyError) return error.status >= 500 ? 'unreachable' : 'rejected'
  const root = error instanceof oidc.ClientError && error.cause instanceof Error ? error.cause : error
  if (root instanceof TypeError || (root instanceof Error && /Timeout|Abort/.test(root.name))) return 'unreachable'
  if (error instanceof oidc.ClientError)
    return error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || error.code === 'OAUTH_RESPONSE_IS_NOT_JSON'
      ? 'unreachable'
      : 'invalidToken'
  throw error
}
