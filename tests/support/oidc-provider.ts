/**
 * A real OpenID provider (oidc-provider) on a free port of this machine, for the tests: the same provider as the
 * development demo (src/modules/identity/identity.oidc-demo.ts), with its own keys generated at start. It can rotate
 * its keys, go down, and — to test that the platform refuses them — hand out ID tokens changed on the way.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { importJWK, SignJWT, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import { createOidcProvider, generateSigningKey, type DemoIdentity } from '../../src/modules/identity/index.js'

export interface TestOidcProvider {
  issuer: string
  /** Signs a JWT with the provider's current key (for back-channel logout tokens and forged ID tokens). */
  sign(payload: JWTPayload, header?: { typ?: string }): Promise<string>
  /** From now on, every ID token the token endpoint hands out goes through this first (undefined: unchanged). */
  tamper: ((idToken: string) => Promise<string>) | undefined
  /** The provider's current private signing key (JWK). */
  signingKey(): Record<string, unknown>
  /** Builds the provider again from its options (clients read anew); sessions and keys stay. */
  rebuild(): void
  /** A new signing key with a new kid; the old one is no longer published. */
  rotateKeys(): void
  /** Stops answering (connection refused); `up()` listens again on the same port. */
  down(): Promise<void>
  up(): Promise<void>
  close(): Promise<void>
}

export async function startOidcTestProvider(options: {
  clients: (issuer: string) => Record<string, unknown>[]
  identities: DemoIdentity[]
  assetsOrigin?: string
}): Promise<TestOidcProvider> {
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end()
  let server = http.createServer((req, res) => handler(req, res))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const issuer = `http://127.0.0.1:${port}`
  let key = generateSigningKey()

  const result: TestOidcProvider = {
    issuer,
    tamper: undefined,
    async sign(payload, header = {}) {
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: String(key.kid), ...header })
        .sign(await importJWK(key as never, 'RS256'))
    },
    signingKey: () => key,
    rebuild: () => build(),
    rotateKeys() {
      key = generateSigningKey()
      build()
    },
    async down() {
      await new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
    async up() {
      server = http.createServer((req, res) => handler(req, res))
      await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
    },
    async close() {
      if (server.listening) await result.down()
    },
  }

  function build() {
    const provider = createOidcProvider({
      issuer,
      clients: options.clients(issuer),
      identities: options.identities,
      keys: [key],
      assetsOrigin: options.assetsOrigin,
    })
    provider.use(async (ctx, next) => {
      await next()
      const body = ctx.body as { id_token?: string } | undefined
      if (ctx.path === '/token' && result.tamper && body?.id_token) body.id_token = await result.tamper(body.id_token)
    })
    handler = provider.callback()
  }
  build()
  return result
}

/** Re-signs an ID token with changed claims, with the given key (the provider's own unless another is named). */
export async function resign(
  idToken: string,
  change: (payload: JWTPayload) => JWTPayload,
  signWith: Record<string, unknown>,
): Promise<string> {
  const header = decodeProtectedHeader(idToken)
  return new SignJWT(change(decodeJwt(idToken)))
    .setProtectedHeader({ alg: 'RS256', kid: header.kid })
    .sign(await importJWK(signWith as never, 'RS256'))
}

/**
 * The person at the provider: follows the redirects from the platform's "sign in with" to the provider's page,
 * picks an identity there (or cancels), and answers the platform's callback URL (path and query) it is sent back to.
 */
export async function throughProvider(
  authorizationUrl: string,
  pick: { identity: string } | { cancel: true },
): Promise<string> {
  const cookies = new Map<string, string>()
  let url = authorizationUrl
  let method: 'GET' | 'POST' = 'GET'
  let body: string | undefined
  for (let step = 0; step < 10; step++) {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      body,
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    })
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair!.indexOf('=')
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1))
    }
    method = 'GET'
    body = undefined
    const location = res.headers.get('location')
    if (location) {
      const next = new URL(location, url)
      if (next.origin !== new URL(authorizationUrl).origin) return `${next.pathname}${next.search}`
      url = next.href
      continue
    }
    const html = await res.text()
    if (res.status !== 200 || !/name="identity"/.test(html))
      throw new Error(`unexpected answer of the provider: ${res.status} ${html.slice(0, 500)}`)
    if ('cancel' in pick) {
      // What a provider does when the person cancels: back to the client with error=access_denied.
      const params = new URL(authorizationUrl).searchParams
      const back = new URL(params.get('redirect_uri')!)
      back.searchParams.set('error', 'access_denied')
      back.searchParams.set('state', params.get('state')!)
      return `${back.pathname}${back.search}`
    }
    method = 'POST'
    body = new URLSearchParams({ identity: pick.identity }).toString()
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!
    url = new URL(action, url).href
  }
  throw new Error('too many redirects at the provider')
}
