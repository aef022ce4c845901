import crypto from 'node:crypto'
import * as oidc from 'openid-client'
import type { StaffDirectory } from './staff.directory.config.js'

/** The directory's discovery document is fetched once per process and again after this long (key rotation aside). */
const DISCOVERY_TTL_MS = 10 * 60_000
/** Seconds each request to the directory may take; a directory that hangs gets the "unreachable" page, not a hang. */
const REQUEST_TIMEOUT_S = 10

const discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>()

/**
 * The directory as openid-client knows it: discovery, the client's credentials, the ID token's checks. Plain http is
 * allowed only for a directory on this machine (the demo and the tests).
 */
export function directoryClient(directory: StaffDirectory, now = Date.now()): Promise<oidc.Configuration> {
  const key = `${directory.issuer}\n${directory.clientId}`
  const cached = discovered.get(key)
  if (cached && now - cached.at < DISCOVERY_TTL_MS) return cached.config
  const issuer = new URL(directory.issuer)
  const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname)
  const config = oidc
    .discovery(
      issuer,
      directory.clientId,
      { id_token_signed_response_alg: 'RS256' },
      directory.clientSecret ? oidc.ClientSecretPost(directory.clientSecret) : oidc.None(),
      {
        timeout: REQUEST_TIMEOUT_S,
        ...(local ? { execute: [oidc.allowInsecureRequests] } : {}),
        ...(directory.fetch ? { [oidc.customFetch]: directory.fetch as oidc.CustomFetch } : {}),
      },
    )
    .then(config => {
      config.timeout = REQUEST_TIMEOUT_S
      // openid-client skips the ID token's signature when it came straight from the token endpoint (OIDC Core 3.1.3.7
      // allows that over TLS); the groups in it decide who may do what here, so the signature is checked always.
      oidc.enableNonRepudiationChecks(config)
      return config
    })
  // A failed discovery is not kept: the next sign-in asks again.
  config.catch(() => discovered.delete(key))
  discovered.set(key, { at: now, config })
  return config
}

/** What the browser carries to the directory; state, nonce and verifier stay in our table (staff_directory_sign_ins). */
export async function authorizationRequest(directory: StaffDirectory, redirectUri: string) {
  const client = await directoryClient(directory)
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = oidc.buildAuthorizationUrl(client, {
    redirect_uri: redirectUri,
    scope: directory.scopes.join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  })
  return { url: url.href, state, nonce, codeVerifier }
}

export interface DirectoryAnswer {
  subject: string
  claims: Record<string, unknown>
  refreshToken: string | undefined
}

/** Trades the code for tokens; openid-client checks state, PKCE, issuer, audience, signature, expiry and nonce. */
export async function exchangeCode(
  directory: StaffDirectory,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<DirectoryAnswer> {
  const client = await directoryClient(directory)
  const tokens = await oidc.authorizationCodeGrant(client, callbackUrl, {
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    pkceCodeVerifier: checks.codeVerifier,
    idTokenExpected: true,
  })
  const claims = tokens.claims()
  if (!claims) throw new Error('the directory answered without an ID token')
  return { subject: claims.sub, claims: { ...claims }, refreshToken: tokens.refresh_token }
}

/**
 * Asks the directory about a person again with their refresh token: a new ID token with today's groups, or
 * `invalid_grant` when the person was disabled, deleted or signed out for good.
 */
export async function refreshIdentity(directory: StaffDirectory, refreshToken: string): Promise<DirectoryAnswer> {
  const client = await directoryClient(directory)
  const tokens = await oidc.refreshTokenGrant(client, refreshToken)
  const claims = tokens.claims()
  if (!claims) throw new Error('the directory refreshed without an ID token')
  return { subject: claims.sub, claims: { ...claims }, refreshToken: tokens.refresh_token ?? refreshToken }
}

/** Whether the directory itself says the person is no longer allowed (as opposed to being unreachable). */
export function isRefusedByDirectory(error: unknown): boolean {
  return error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant'
}

/** Refresh tokens at rest: AES-256-GCM under STAFF_DIRECTORY_TOKEN_KEY. */
export function sealToken(key: string, token: string): string {
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', keyOf(key), iv)
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join(
    '.',
  )
}

/** The token, or undefined when it was sealed with another key (the key was changed). */
export function openToken(key: string, sealed: string): string | undefined {
  const [version, iv, tag, data] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || !data) return undefined
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', keyOf(key), Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
  } catch (error) {
    // A wrong key fails authentication: the token is as good as absent, the person is checked at next sign-in.
    if (error instanceof Error && /authenticate/.test(error.message)) return undefined
    throw error
  }
}

const keyOf = (key: string) => crypto.createHash('sha256').update(key).digest()
