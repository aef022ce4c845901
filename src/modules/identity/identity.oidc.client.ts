import * as client from 'openid-client'
import type { IdentityProviderConfig } from './identity.types.js'
import type { OidcSettings } from './identity.oidc.settings.js'

/** Where the platform's environment is read for a provider's client secret (the composition root passes it in). */
export type SecretSource = Record<string, string | undefined>

/** The provider could not be reached or did not answer as a provider (discovery, token or userinfo endpoint). */
export class ProviderUnreachable extends Error {}

const DISCOVERY_TTL_MS = 3600_000
/** A provider gets this long to answer each request; a person is waiting. */
const TIMEOUT_SECONDS = 10

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Plain http only to this machine (the demo and tests); every other provider is spoken to over TLS. */
export function isInsecureAllowed(issuer: string): boolean {
  const url = new URL(issuer)
  return url.protocol === 'https:' || LOOPBACK.has(url.hostname)
}

// By issuer too: one process may serve several platforms (the tests), each with its own provider of the same id.
const keyOf = (provider: IdentityProviderConfig<OidcSettings>) => `${provider.id} ${provider.settings.issuer}`

interface Discovered {
  metadata: client.ServerMetadata
  at: number
  jwks?: client.ExportedJWKSCache
}

/**
 * The clients of the configured providers. The provider's metadata (discovery) is kept for an hour; its keys for up
 * to five minutes and fetched again whenever a token names a key not among them (a key rotation), so a rotation at
 * the provider never breaks a sign-in.
 */
export class OidcClients {
  private readonly discovered = new Map<string, Discovered>()
  constructor(private readonly env: SecretSource) {}

  secretOf(provider: IdentityProviderConfig<OidcSettings>): string | undefined {
    const name = provider.settings.clientSecretEnv
    return name ? this.env[name] : undefined
  }

  /** The client for one request; throws ProviderUnreachable when discovery fails. */
  async configurationOf(provider: IdentityProviderConfig<OidcSettings>): Promise<client.Configuration> {
    const { issuer, clientId } = provider.settings
    const secret = this.secretOf(provider)
    const insecure = new URL(issuer).protocol === 'http:'
    let known = this.discovered.get(keyOf(provider))
    if (!known || Date.now() - known.at > DISCOVERY_TTL_MS) {
      try {
        const found = await client.discovery(new URL(issuer), clientId, secret, undefined, {
          execute: insecure ? [client.allowInsecureRequests] : [],
          timeout: TIMEOUT_SECONDS,
        })
        known = { metadata: found.serverMetadata(), at: Date.now() }
        this.discovered.set(keyOf(provider), known)
      } catch (error) {
        throw new ProviderUnreachable(`discovery failed: ${describe(error)}`, { cause: error })
      }
    }
    const configuration = new client.Configuration(
      known.metadata,
      clientId,
      secret ? { client_secret: secret } : undefined,
      secret ? client.ClientSecretBasic(secret) : client.None(),
    )
    configuration.timeout = TIMEOUT_SECONDS
    if (insecure) client.allowInsecureRequests(configuration)
    // The ID token's signature is checked against the provider's keys too, not only the TLS of the token endpoint.
    client.enableNonRepudiationChecks(configuration)
    if (known.jwks) client.setJwksCache(configuration, known.jwks)
    return configuration
  }

  /**
   * Keeps the keys a request fetched. Marked a minute old, so that openid-client fetches them again at once when a
   * token names an unknown key (its own wait of a minute is for providers we did not ask ourselves).
   */
  keepKeys(provider: IdentityProviderConfig<OidcSettings>, configuration: client.Configuration): void {
    const known = this.discovered.get(keyOf(provider))
    const cache = client.getJwksCache(configuration)
    if (!known || !cache) return
    const minuteAgo = Math.floor(Date.now() / 1000) - 60
    known.jwks = { ...cache, uat: Math.min(cache.uat, minuteAgo) }
  }

  /** After the provider was found unreachable: ask again next time. */
  forget(provider: IdentityProviderConfig<OidcSettings>): void {
    this.discovered.delete(keyOf(provider))
  }
}

/** What went wrong, for the operators' log: the error's kind and code, never a token or a claim. */
export function describe(error: unknown): string {
  if (error instanceof client.ResponseBodyError) return `provider answered ${error.status} ${error.error}`
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    const cause = error.cause instanceof Error ? ` (${error.cause.name}: ${error.cause.message})` : ''
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}${cause}`
  }
  return String(error)
}

/** Whether an error means the provider was not reached at all or in time (network, timeout, a 5xx page). */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof ProviderUnreachable) return true
  if (!(error instanceof Error)) return false
  if (error instanceof TypeError || error.name === 'TimeoutError' || error.name === 'AbortError') return true
  if (error instanceof client.ResponseBodyError) return false
  const code = (error as { code?: unknown }).code
  return code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON'
}
