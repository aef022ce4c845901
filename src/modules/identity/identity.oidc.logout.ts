import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'
import { endProviderSessions } from '../../platform/auth/sessions.js'
import { NotFound } from '../../platform/http/errors.js'
import type { IdentityProviderConfig } from './identity.types.js'
import type { OidcSettings } from './identity.oidc.settings.js'
import { describe, type OidcClients } from './identity.oidc.client.js'
import { accountsOfSubject, claimLogoutToken, forgetLogins } from './identity.oidc.queries.js'

type OidcProvider = IdentityProviderConfig<OidcSettings>

const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'
/** A logout token older than this is refused (and its jti need not be remembered longer). */
const MAX_AGE_SECONDS = 600

class InvalidLogoutToken extends Error {}

const Body = Type.Object({ logout_token: Type.String({ minLength: 1, maxLength: 20_000 }) })
const Params = Type.Object({ providerId: Type.String({ maxLength: 40 }) })

/**
 * OpenID Connect Back-Channel Logout 1.0: the provider's server posts a signed logout token when the person signs out
 * there; the sessions signed in through that provider session (sid), or all of the subject's, end at once.
 */
export function backchannelLogoutRoutes(providers: OidcProvider[], clients: OidcClients) {
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>()

  async function verify(provider: OidcProvider, token: string): Promise<JWTPayload> {
    const configuration = await clients.configurationOf(provider)
    const metadata = configuration.serverMetadata()
    if (!metadata.jwks_uri) throw new InvalidLogoutToken('provider has no jwks_uri')
    let keys = keySets.get(metadata.jwks_uri)
    if (!keys) keySets.set(metadata.jwks_uri, (keys = createRemoteJWKSet(new URL(metadata.jwks_uri))))
    const { payload } = await jwtVerify(token, keys, {
      issuer: metadata.issuer,
      audience: provider.settings.clientId,
      maxTokenAge: `${MAX_AGE_SECONDS}s`,
      requiredClaims: ['iat', 'jti', 'events'],
      clockTolerance: 30,
    }).catch((error: unknown) => {
      throw new InvalidLogoutToken(describe(error))
    })
    const events = payload.events as Record<string, unknown> | undefined
    if (!events || typeof events !== 'object' || typeof events[LOGOUT_EVENT] !== 'object')
      throw new InvalidLogoutToken('no back-channel logout event')
    if ('nonce' in payload) throw new InvalidLogoutToken('a logout token has no nonce')
    if (typeof payload.sid !== 'string' && typeof payload.sub !== 'string')
      throw new InvalidLogoutToken('neither sid nor sub')
    return payload
  }

  return async (app: FastifyInstance) => {
    app.post<{ Params: { providerId: string }; Body: { logout_token: string } }>(
      '/identity/oidc/:providerId/backchannel-logout',
      { schema: { params: Params, body: Body } },
      async (req, reply) => {
        const provider = providers.find(p => p.id === req.params.providerId)
        if (!provider) throw new NotFound()
        reply.header('cache-control', 'no-store')
        const now = app.clock.now()
        let payload: JWTPayload
        try {
          payload = await verify(provider, req.body.logout_token)
          const fresh = await claimLogoutToken(
            app.db,
            provider.id,
            String(payload.jti),
            new Date(now.getTime() + 2 * MAX_AGE_SECONDS * 1000),
            now,
          )
          if (!fresh) throw new InvalidLogoutToken('jti used before')
        } catch (error) {
          req.log.warn({ identityProvider: provider.id, reason: describe(error) }, 'OIDC back-channel logout refused')
          return reply.code(400).send({ error: 'invalid_request', error_description: 'invalid logout token' })
        }
        let ended = 0
        if (typeof payload.sid === 'string') {
          ended = await endProviderSessions(app.db, provider.id, { providerSession: payload.sid })
          await forgetLogins(app.db, provider.id, { providerSession: payload.sid })
        } else if (typeof payload.sub === 'string') {
          const accountIds = await accountsOfSubject(app.db, provider.id, payload.sub)
          ended = await endProviderSessions(app.db, provider.id, { accountIds })
          await forgetLogins(app.db, provider.id, { accountIds })
        }
        req.log.info({ identityProvider: provider.id, ended }, 'OIDC back-channel logout')
        return reply.code(200).send()
      },
    )
  }
}
