import fs from 'node:fs'
import { Type, type TString } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigFileError, readYamlConfig } from '../../platform/config-file.js'
import { ASSURANCE_LEVELS } from '../../platform/auth/assurance.js'
import { locales, type Locale } from '../../platform/i18n/i18n.js'
import type { IdentityProtocol, IdentityProviderConfig } from './identity.types.js'

const Localized = Type.Object(
  Object.fromEntries(locales.map(locale => [locale, Type.String({ minLength: 1 })])) as Record<Locale, TString>,
  { additionalProperties: false },
)

const ProviderSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$' }),
    protocol: Type.Union([Type.Literal('oidc'), Type.Literal('saml')]),
    label: Localized,
    /** The provider's name, for "confirmed by …" and the account's list of linked identities. */
    name: Type.Optional(Localized),
    audience: Type.Union([Type.Literal('citizen'), Type.Literal('business')]),
    maxAssurance: Type.Union(ASSURANCE_LEVELS.map(level => Type.Literal(level))),
    settings: Type.Unknown(),
  },
  { additionalProperties: false },
)

const IdentityFileSchema = Type.Object({ providers: Type.Array(ProviderSchema) }, { additionalProperties: false })

/**
 * The identity providers of config/identity.yaml (IDENTITY_CONFIG_FILE), each checked against the common fields and
 * its protocol's settings; every problem at once, with the file and the path. No file means no providers.
 */
export function loadIdentityProviders(file: string, protocols: IdentityProtocol[]): IdentityProviderConfig[] {
  if (!fs.existsSync(file)) return []
  const { providers } = readYamlConfig(file, IdentityFileSchema, 'identity configuration')
  const problems: string[] = []
  const seen = new Set<string>()
  providers.forEach((provider, index) => {
    if (seen.has(provider.id)) problems.push(`/providers/${index}/id: "${provider.id}" is used twice`)
    seen.add(provider.id)
    const protocol = protocols.find(p => p.protocol === provider.protocol)
    if (!protocol) {
      problems.push(`/providers/${index}/protocol: "${provider.protocol}" is not available`)
      return
    }
    const seenPaths = new Set<string>()
    for (const e of Value.Errors(protocol.settingsSchema, provider.settings)) {
      if (seenPaths.has(e.path)) continue
      seenPaths.add(e.path)
      problems.push(`/providers/${index}/settings${e.path}: ${e.message}`)
    }
  })
  if (problems.length) throw new ConfigFileError(file, problems, 'identity configuration')
  return providers as IdentityProviderConfig[]
}
