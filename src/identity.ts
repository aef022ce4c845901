import type { Config } from './platform/config.js'
import type { FastifyRequest } from 'fastify'
import {
  createOidcProtocol,
  loadIdentityProviders,
  samlProtocol,
  type IdentityProtocol,
  type IdentityProviderConfig,
} from './modules/identity/index.js'

/**
 * Every protocol the platform speaks with identity providers. OpenID Connect reads the client secrets from the
 * environment variables that config/identity.yaml names (never from the file).
 */
export const identityProtocols: IdentityProtocol[] = [
  createOidcProtocol(process.env) as IdentityProtocol,
  samlProtocol as IdentityProtocol,
]

/**
 * The providers people may sign in with: those of config/identity.yaml (checked at start: a wrong entry stops it),
 * and in development the protocols' own demo providers (IDENTITY_DEMO), so the sign-in can be tried with no outside
 * system.
 */
export function identityProvidersOf(config: Config): IdentityProviderConfig[] {
  const configured = loadIdentityProviders(config.identityConfigFile, identityProtocols)
  if (!config.identityDemo) return configured
  return [...configured, ...identityProtocols.flatMap(protocol => protocol.demo?.providers(config) ?? [])]
}

/** Where our /logout sends a browser signed in through a provider: the provider's logout, when it has one. */
export function identityLogoutRedirect(providers: IdentityProviderConfig[]) {
  const redirects = identityProtocols.flatMap(protocol =>
    protocol.logoutRedirect ? [protocol.logoutRedirect(providers.filter(p => p.protocol === protocol.protocol))] : [],
  )
  return async (req: FastifyRequest): Promise<string | undefined> => {
    for (const redirect of redirects) {
      const to = await redirect(req)
      if (to) return to
    }
    return undefined
  }
}

/** The identity providers' origins our forms may be redirected to (their logout pages), for the CSP's form-action. */
export function identityFormActionOrigins(providers: IdentityProviderConfig[]): string[] {
  const origins = identityProtocols.flatMap(
    protocol => protocol.formActionOrigins?.(providers.filter(p => p.protocol === protocol.protocol)) ?? [],
  )
  return [...new Set(origins)]
}
