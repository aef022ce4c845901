import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import * as client from 'openid-client'
import { meetsAssurance } from '../../platform/auth/assurance.js'
import { sessionLifetime } from '../../platform/auth/sessions.js'
import { NotFound } from '../../platform/http/errors.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { completeExternalSignIn } from './identity.sign-in.js'
import type { IdentityProtocol, IdentityProviderConfig, SignInIntent } from './identity.types.js'
import { IdentityProblemPage } from './views/problem.js'
import {
  acrValuesFor,
  assuranceOf,
  DEFAULT_SCOPES,
  mapClaims,
  OidcSettingsSchema,
  type OidcSettings,
} from './identity.oidc.settings.js'
import { describe, isInsecureAllowed, isUnreachable, OidcClients, type SecretSource } from './identity.oidc.client.js'
import { insertSignIn, rememberLogin, takeLogin, takeSignIn } from './identity.oidc.queries.js'
import { backchannelLogoutRoutes } from './identity.oidc.logout.js'
import { oidcDemo } from './identity.oidc-demo.js'

type OidcProvider = IdentityProviderConfig<OidcSettings>

/** How long a person has at the provider before the sign-in must start again. */
const SIGN_IN_MINUTES = 15

/** The problems of an OpenID Connect sign-in, with the status each is answered with. */
const PROBLEM_STATUS = {
  stateUnknown: 400,
  stateExpired: 400,
  cancelled: 400,
  providerError: 502,
  providerUnreachable: 503,
  invalidToken: 400,
  assuranceTooLow: 403,
  attributesMissing: 400,
  linkedToOtherAccount: 409,
  emailTaken: 409,
  emailMissing: 400,
  wrongKind: 409,
} as const
type OidcProblem = keyof typeof PROBLEM_STATUS

export const callbackPath = (providerId: string) => `/identity/oidc/${providerId}/callback`

/** Where the provider sends the browser back to; registered with the provider. */
const redirectUriOf = (req: FastifyRequest, providerId: string) =>
  `${req.server.config.baseUrl}${callbackPath(providerId)}`

async function answerProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  provider: OidcProvider,
  problem: OidcProblem,
  reason: string,
) {
  // For operators: which provider and why, never a token or what the provider said about the person.
  req.log.warn({ identityProvider: provider.id, problem, reason }, 'OpenID Connect sign-in refused')
  const ctx = await req.server.pageContext(req)
  return sendHtml(reply, IdentityProblemPage({ ctx, problem }), PROBLEM_STATUS[problem])
}

const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4000 })),
    state: Type.Optional(Type.String({ maxLength: 500 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
    iss: Type.Optional(Type.String({ maxLength: 500 })),
    session_state: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: true },
)
const ProviderParams = Type.Object({ providerId: Type.String({ maxLength: 40 }) })

/** The OpenID Connect protocol (authorization code with PKCE, openid-client); `env` holds the client secrets. */
export function createOidcProtocol(env: SecretSource): IdentityProtocol<OidcSettings> {
  const clients = new OidcClients(env)

  /** Checks at start what the schema cannot: the secret is there, plain http only to this machine. */
  function checkProviders(providers: OidcProvider[]) {
    const problems: string[] = []
    for (const provider of providers) {
      const name = provider.settings.clientSecretEnv
      if (name && !env[name])
        problems.push(`identity provider "${provider.id}": environment variable ${name} is not set`)
      if (!isInsecureAllowed(provider.settings.issuer))
        problems.push(`identity provider "${provider.id}": the issuer must be an https:// URL`)
    }
    if (problems.length) throw new Error(problems.join('\n'))
  }

  /** The provider's discovered configuration; when it cannot be reached, why — and it is asked afresh next time. */
  async function discover(
    provider: OidcProvider,
  ): Promise<{ configuration: client.Configuration } | { unreachable: string }> {
    try {
      return { configuration: await clients.configurationOf(provider) }
    } catch (error) {
      clients.forget(provider)
      return { unreachable: describe(error) }
    }
  }

  async function begin(provider: OidcProvider, req: FastifyRequest, reply: FastifyReply, intent: SignInIntent) {
    const discovered = await discover(provider)
    if ('unreachable' in discovered)
      return answerProblem(req, reply, provider, 'providerUnreachable', discovered.unreachable)
    const { configuration } = discovered
    const state = client.randomState()
    const nonce = client.randomNonce()
    const codeVerifier = client.randomPKCECodeVerifier()
    const now = req.server.clock.now()
    await insertSignIn(
      req.server.db,
      {
        state,
        // Bound to this browser: an answer arriving in another browser (a link sent to someone) is refused.
        browserHash: req.session?.idHash ?? '',
        providerId: provider.id,
        codeVerifier,
        nonce,
        intent: { returnTo: intent.returnTo, assurance: intent.assurance, link: intent.link },
        expiresAt: new Date(now.getTime() + SIGN_IN_MINUTES * 60_000),
      },
      now,
    )
    const parameters: Record<string, string> = {
      redirect_uri: redirectUriOf(req, provider.id),
      scope: (provider.settings.scopes ?? DEFAULT_SCOPES).join(' '),
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ui_locales: req.locale,
    }
    const acrValues = acrValuesFor(provider.settings, intent.assurance)
    if (acrValues) parameters.acr_values = acrValues
    return reply.redirect(client.buildAuthorizationUrl(configuration, parameters).href, 303)
  }

  async function callback(
    provider: OidcProvider,
    req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
  ) {
    const { db, clock, config } = req.server
    const state = req.query.state
    if (!state) return answerProblem(req, reply, provider, 'stateUnknown', 'no state in the answer')
    const signIn = await takeSignIn(db, state)
    if (!signIn || signIn.providerId !== provider.id)
      return answerProblem(req, reply, provider, 'stateUnknown', 'unknown or already used state')
    if (!req.session || signIn.browserHash !== req.session.idHash)
      return answerProblem(req, reply, provider, 'stateUnknown', 'state of another browser')
    if (new Date(signIn.expiresAt) <= clock.now())
      return answerProblem(req, reply, provider, 'stateExpired', 'sign-in took too long')
    if (req.query.error) {
      const problem =
        req.query.error === 'access_denied'
          ? 'cancelled'
          : req.query.error === 'temporarily_unavailable'
            ? 'providerUnreachable'
            : 'providerError'
      return answerProblem(req, reply, provider, problem, `provider answered error=${req.query.error.slice(0, 100)}`)
    }

    const discovered = await discover(provider)
    if ('unreachable' in discovered)
      return answerProblem(req, reply, provider, 'providerUnreachable', discovered.unreachable)
    const { configuration } = discovered
    const currentUrl = new URL(redirectUriOf(req, provider.id))
    currentUrl.search = new URLSearchParams(
      Object.entries(req.query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ).toString()
    let idToken: string
    let claims: Record<string, unknown>
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: signIn.codeVerifier,
        expectedNonce: signIn.nonce,
        expectedState: state,
        idTokenExpected: true,
      })
      clients.keepKeys(provider, configuration)
      const idClaims = tokens.claims()
      if (!tokens.id_token || !idClaims) throw new Error('no ID token')
      idToken = tokens.id_token
      claims = { ...idClaims }
      if (configuration.serverMetadata().userinfo_endpoint) {
        // The subject must be the ID token's (checked by openid-client); the ID token's own claims win.
        const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)
        claims = { ...userinfo, ...idClaims }
      }
    } catch (error) {
      if (isUnreachable(error)) clients.forget(provider)
      const problem = isUnreachable(error)
        ? 'providerUnreachable'
        : error instanceof client.ResponseBodyError
          ? 'providerError'
          : 'invalidToken'
      return answerProblem(req, reply, provider, problem, describe(error))
    }

    const intent = signIn.intent
    const assurance = assuranceOf(provider.settings, provider.maxAssurance, claims.acr)
    if (intent.assurance && !meetsAssurance(assurance, intent.assurance))
      return answerProblem(req, reply, provider, 'assuranceTooLow', `level ${assurance}, needed ${intent.assurance}`)
    const mapped = mapClaims(provider.settings, provider.audience, claims)
    if (mapped.missing.length)
      return answerProblem(req, reply, provider, 'attributesMissing', `missing ${mapped.missing.join(', ')}`)
    const sid = typeof claims.sid === 'string' && claims.sid.length <= 500 ? claims.sid : undefined
    // Without the provider's sid, a session id of ours keeps the ID token for the logout.
    const providerSession = sid ?? `rp-${crypto.randomUUID()}`
    const outcome = await completeExternalSignIn(
      db,
      req,
      reply,
      config,
      {
        providerId: provider.id,
        subject: String(claims.sub),
        kind: provider.audience,
        assurance,
        email: mapped.email,
        emailVerified: mapped.emailVerified,
        attributes: mapped.attributes,
        companyRole: mapped.companyRole,
        providerSession,
      },
      { link: intent.link },
    )
    if (!outcome.ok) return answerProblem(req, reply, provider, outcome.problem, outcome.problem)
    await rememberLogin(
      db,
      {
        providerId: provider.id,
        providerSession,
        accountId: outcome.accountId,
        idToken,
        expiresAt: new Date(clock.now().getTime() + sessionLifetime(config, 'citizen').absoluteMs),
      },
      clock.now(),
    )
    req.log.info({ identityProvider: provider.id, created: outcome.created, linked: outcome.linked }, 'OIDC sign-in')
    return reply.redirect(intent.returnTo, 303)
  }

  return {
    protocol: 'oidc',
    settingsSchema: OidcSettingsSchema,
    begin,
    routes(providers) {
      checkProviders(providers)
      return async (app: FastifyInstance) => {
        app.get<{ Params: { providerId: string }; Querystring: Record<string, string | undefined> }>(
          '/identity/oidc/:providerId/callback',
          { schema: { params: ProviderParams, querystring: CallbackQuery } },
          async (req, reply) => {
            const provider = providers.find(p => p.id === req.params.providerId)
            if (!provider) throw new NotFound()
            return callback(provider, req, reply)
          },
        )
      }
    },
    machineRoutes: providers => backchannelLogoutRoutes(providers, clients),
    logoutRedirect: providers => oidcLogoutRedirect(providers, clients),
    // The provider's end-session page is usually on the issuer's origin; /logout's form is redirected there.
    formActionOrigins: providers => providers.map(p => new URL(p.settings.issuer).origin),
    demo: oidcDemo,
  }
}

/** Where our /logout sends the browser for a session signed in through a provider; undefined: nowhere. */
export type LogoutRedirect = (req: FastifyRequest) => Promise<string | undefined>

/**
 * RP-initiated logout: a session signed in through a provider with an end_session_endpoint ends there too
 * (id_token_hint, post_logout_redirect_uri). Our session ends anyway, also when the provider is down.
 */
function oidcLogoutRedirect(providers: OidcProvider[], clients: OidcClients): LogoutRedirect {
  return async req => {
    const account = req.session?.account
    const provider = account && providers.find(p => p.id === account.identityProvider)
    if (!provider || !account?.providerSession) return undefined
    const login = await takeLogin(req.server.db, provider.id, account.providerSession)
    if (!login) return undefined
    try {
      const configuration = await clients.configurationOf(provider)
      if (!configuration.serverMetadata().end_session_endpoint) return undefined
      return client.buildEndSessionUrl(configuration, {
        id_token_hint: login.idToken,
        post_logout_redirect_uri: `${req.server.config.baseUrl}/`,
      }).href
    } catch (error) {
      req.log.warn(
        { identityProvider: provider.id, reason: describe(error) },
        'OpenID Connect logout at provider skipped',
      )
      return undefined
    }
  }
}
