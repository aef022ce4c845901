import type { Config } from './platform/config.js'
import {
  loadIdentityProviders,
  samlProtocol,
  type IdentityProtocol,
  type IdentityProviderConfig,
} from './modules/identity/index.js'

/** Every protocol the platform speaks with identity providers. */
export const identityProtocols: IdentityProtocol[] = [samlProtocol as IdentityProtocol]

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
