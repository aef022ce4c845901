import crypto from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../platform/config.js'
import { NotFound } from '../../platform/http/errors.js'
import { handToKoa } from '../../platform/http/koa-mount.js'
import { sendHtml } from '../../platform/views/page-context.js'
import { DIRECTORY_CALLBACK_PATH } from './staff.directory.routes.js'
import { DirectoryDemoPage } from './views/directory-demo.js'

/**
 * The part of oidc-provider (which ships no types) used here. Loaded by a computed specifier, so this module does not
 * depend on another module's ambient declaration of the package (the identity module keeps one for its own use).
 */
export interface OidcProvider {
  proxy: boolean
  /** Koa middleware around the provider's own (the tests look at and change its answers). */
  use(
    middleware: (ctx: { path: string; method: string; body: unknown }, next: () => Promise<void>) => Promise<void>,
  ): void
  callback(): (req: IncomingMessage, res: ServerResponse) => void
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string }>
  interactionResult(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<string>
}
interface OidcGrant {
  addOIDCScope(scope: string): void
  save(): Promise<string>
}
/** What the provider's hooks get: the parts of its Koa context read here. */
interface OidcContext {
  type: string
  body: unknown
  oidc: {
    client?: { clientId: string }
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined }
    result?: { consent?: { grantId?: string } }
    provider: {
      Grant: {
        new (properties: { clientId: string; accountId: string }): OidcGrant
        find(id: string): Promise<OidcGrant | undefined>
      }
    }
  }
}
type OidcProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider
const OIDC_PROVIDER_PACKAGE = 'oidc-provider'

/** A person in a directory: what its ID token says of them. */
export interface DirectoryUser {
  sub: string
  email: string
  name: string
  groups: string[]
  /** How the person proved themself at the directory (RFC 8176); `mfa` for a second factor. */
  amr: string[]
}

/** The demo directory's people (config/staff-directory.demo.yaml maps their groups). Nobody here has a password. */
export const DEMO_DIRECTORY_USERS: DirectoryUser[] = [
  {
    sub: 'demo-lena-hoffmann',
    email: 'lena.hoffmann@stadt.example',
    name: 'Lena Hoffmann',
    groups: ['GG-Bauhaus-Buergerdienste-Sachbearbeitung'],
    amr: ['pwd'],
  },
  {
    sub: 'demo-jonas-becker',
    email: 'jonas.becker@stadt.example',
    name: 'Jonas Becker',
    groups: ['GG-Bauhaus-Bauordnungsamt-Teamleitung', 'GG-Bauhaus-Bauordnungsamt-Sachbearbeitung'],
    amr: ['pwd', 'mfa'],
  },
  {
    sub: 'demo-kai-wagner',
    email: 'kai.wagner@stadt.example',
    name: 'Kai Wagner',
    groups: ['GG-Alle-Beschaeftigten'],
    amr: ['pwd'],
  },
]
export const DEMO_DIRECTORY_CLIENT_ID = 'bauhaus-backoffice'
export const DEMO_DIRECTORY_PREFIX = '/dev/identity/directory'

export interface DirectoryProviderOptions {
  issuer: string
  clientId: string
  /** None: a public client (PKCE); else it authenticates with this secret (client_secret_post). */
  clientSecret?: string
  redirectUris: string[]
  /** The people; read at every token request, so a change (disabled, other groups) shows at the next refresh. */
  users: () => DirectoryUser[]
  /** Where the provider sends the browser to pick a person. */
  interactionUrl: (uid: string) => string
  /** The key its tokens are signed with (RS256); a new one when left out. */
  signingKey?: { privateKey: crypto.KeyObject; kid: string }
}

/**
 * A real OpenID provider (oidc-provider, OpenID-certified) with the people given: the platform's demo directory and
 * the tests' directory. Keys are made at start; refresh tokens are issued to the client (the periodic check) and the
 * ID token carries groups and amr, as Keycloak's and Entra ID's do when configured so.
 */
export async function createDirectoryProvider(options: DirectoryProviderOptions): Promise<OidcProvider> {
  const { default: Provider } = (await import(OIDC_PROVIDER_PACKAGE)) as { default: OidcProviderClass }
  const signing = options.signingKey ?? {
    privateKey: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    kid: crypto.randomUUID(),
  }
  const findUser = (sub: string) => options.users().find(u => u.sub === sub)
  const configuration = {
    clients: [
      {
        client_id: options.clientId,
        ...(options.clientSecret
          ? { client_secret: options.clientSecret, token_endpoint_auth_method: 'client_secret_post' }
          : { token_endpoint_auth_method: 'none' }),
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...signing.privateKey.export({ format: 'jwk' }), kid: signing.kid, use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx: OidcContext, interaction: { uid: string }) => options.interactionUrl(interaction.uid) },
    async findAccount(_ctx: OidcContext, sub: string) {
      const user = findUser(sub)
      if (!user) return undefined
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, email_verified: true, name: user.name, groups: user.groups }),
      }
    },
    // Every person of the directory may use the back office's client: no consent screen, as in a city's own directory.
    async loadExistingGrant(ctx: OidcContext) {
      const client = ctx.oidc.client
      const accountId = ctx.oidc.session?.accountId
      if (!client || !accountId) return undefined
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(client.clientId)
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined
      const grant = existing ?? new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId })
      grant.addOIDCScope('openid email profile offline_access')
      await grant.save()
      return grant
    },
    issueRefreshToken: async (_ctx: OidcContext, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: {
      AccessToken: 600,
      IdToken: 600,
      Interaction: 600,
      Grant: 30 * 86_400,
      Session: 8 * 3600,
      RefreshToken: 30 * 86_400,
    },
    renderError: async (ctx: OidcContext, out: { error: string; error_description?: string }) => {
      ctx.type = 'text/plain; charset=utf-8'
      ctx.body = `${out.error}: ${out.error_description ?? ''}`
    },
  }
  const provider = new Provider(options.issuer, configuration)
  // The platform (and the tests) stand behind whatever the issuer says; the forwarded protocol is believed.
  provider.proxy = true
  return provider
}

/**
 * The demo directory, served by the platform itself under /dev/identity/directory when IDENTITY_DEMO is on: a real
 * OpenID provider with the demo people and a page to pick one. Outside the web context: the provider keeps its own
 * cookies and state, and its forms are its own.
 */
export const directoryDemoRoutes: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  const base = config.baseUrl.replace(/\/$/, '')
  const prefix = app.prefix
  const provider = await createDirectoryProvider({
    issuer: `${base}${prefix}`,
    clientId: DEMO_DIRECTORY_CLIENT_ID,
    redirectUris: [`${base}${DIRECTORY_CALLBACK_PATH}`],
    users: () => DEMO_DIRECTORY_USERS,
    interactionUrl: uid => `${prefix}/interaction/${uid}`,
  })
  const toProvider = handToKoa(provider.callback(), prefix)
  app.route({ method: ['GET', 'POST'], url: '/*', onRequest: toProvider, handler: async () => undefined })

  app.get<{ Params: { uid: string } }>('/interaction/:uid', async (req, reply) => {
    await interactionOf(provider, req, reply)
    const ctx = await app.pageContext(req)
    return sendHtml(reply, DirectoryDemoPage({ ctx, uid: req.params.uid, users: DEMO_DIRECTORY_USERS, prefix }))
  })

  app.post<{ Params: { uid: string }; Body: { user?: string } }>('/interaction/:uid', async (req, reply) => {
    await interactionOf(provider, req, reply)
    const user = DEMO_DIRECTORY_USERS.find(u => u.sub === req.body?.user)
    if (!user) throw new NotFound()
    const target = await provider.interactionResult(
      req.raw,
      reply.raw,
      { login: { accountId: user.sub, amr: user.amr } },
      { mergeWithLastSubmission: false },
    )
    return reply.redirect(target, 303)
  })
}

/** The interaction the provider's cookie names; 404 for an unknown or expired one (the flow starts again). */
async function interactionOf(provider: OidcProvider, req: FastifyRequest, reply: FastifyReply) {
  try {
    const details = await provider.interactionDetails(req.raw, reply.raw)
    if (details.uid !== (req.params as { uid: string }).uid) throw new NotFound()
    return details
  } catch (error) {
    if (error instanceof NotFound || (error instanceof Error && error.name === 'SessionNotFound')) throw new NotFound()
    throw error
  }
}

/**
 * A fetch that reaches the demo directory inside this process (app.inject): the platform asks its own demo without
 * a network round trip, so the demo works before the server listens and behind any proxy.
 */
export function inProcessFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const headers = Object.fromEntries(
      new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)),
    )
    const res = await app.inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { ...headers, host: url.host, 'x-forwarded-proto': url.protocol.slice(0, -1) },
      ...(init?.body ? { payload: String(init.body) } : {}),
    })
    const out = new Headers()
    for (const [name, value] of Object.entries(res.headers))
      for (const v of [value].flat()) if (v !== undefined) out.append(name, String(v))
    const empty = res.statusCode === 204 || res.statusCode === 304
    return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: out })
  }
}
