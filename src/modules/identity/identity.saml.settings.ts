import fs from 'node:fs'
import { Type, type Static } from '@sinclair/typebox'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { Config } from '../../platform/config.js'
import type { VerifiedAttributes } from '../accounts/index.js'
import type { IdentityProviderConfig } from './identity.types.js'

/** The profile fields a SAML attribute can fill, and the attribute that carries the level of assurance. */
const ATTRIBUTE_KEYS = [
  'subject',
  'givenName',
  'familyName',
  'birthDate',
  'postalAddress',
  'postalCode',
  'city',
  'email',
  'level',
] as const
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number]

/**
 * BundID's attribute names (OIDs, as its interface description and the AKDB request extension name them). `subject`
 * is bPK2, the pseudonym BundID gives a person for this service provider; `level` is EID-CITIZEN-QAA-LEVEL.
 */
export const BUNDID_ATTRIBUTES: Record<AttributeKey, string> = {
  subject: 'urn:oid:1.3.6.1.4.1.25484.494450.3',
  givenName: 'urn:oid:2.5.4.42',
  familyName: 'urn:oid:2.5.4.4',
  birthDate: 'urn:oid:1.2.40.0.10.2.1.1.55',
  postalAddress: 'urn:oid:2.5.4.16',
  postalCode: 'urn:oid:2.5.4.17',
  city: 'urn:oid:2.5.4.7',
  email: 'urn:oid:0.9.2342.19200300.100.1.3',
  level: 'urn:oid:1.2.40.0.10.2.1.1.261.94',
}

const FilePath = (description: string) => Type.String({ minLength: 1, description })

export const SamlSettingsSchema = Type.Object(
  {
    /** The provider's entity id: responses must name it as their issuer. */
    idpEntityId: Type.String({ minLength: 1 }),
    /** Where the browser is sent with the AuthnRequest (HTTP-Redirect binding). */
    idpSsoUrl: Type.String({ pattern: '^https?://' }),
    /** The provider's Single Logout endpoint; with it, our logout ends the provider's session too. */
    idpSloUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    /** PEM files of the provider's signing certificates; two at once while the provider rolls its key over. */
    idpCertificateFiles: Type.Array(FilePath('PEM certificate'), { minItems: 1, maxItems: 4 }),
    /** Our entity id; default the metadata URL. */
    spEntityId: Type.Optional(Type.String({ minLength: 1 })),
    /** PEM files of the key and certificate we sign AuthnRequests and logout messages with. */
    spSigningKeyFile: FilePath('PEM private key'),
    spSigningCertificateFile: FilePath('PEM certificate'),
    /** PEM files of the key the provider encrypts assertions for, and its certificate (published in the metadata). */
    spDecryptionKeyFile: Type.Optional(FilePath('PEM private key')),
    spEncryptionCertificateFile: Type.Optional(FilePath('PEM certificate')),
    /** Refuse assertions that are not encrypted (needs the decryption key). */
    requireEncryptedAssertions: Type.Optional(Type.Boolean()),
    /** How far the provider's clock may differ from ours, in seconds (NotBefore, NotOnOrAfter). Default 60. */
    clockSkewSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 300 })),
    /** How the level is asked for: BundID's STORK-QAA-Level-1…4 (default) or the eIDAS LoA URIs. */
    levelStyle: Type.Optional(Type.Union([Type.Literal('stork'), Type.Literal('eidas')])),
    /** The request carries BundID's (AKDB) extension naming the attributes we need. Default true. */
    requestAttributesExtension: Type.Optional(Type.Boolean()),
    /** SAML attribute names per profile field; BundID's OIDs by default. No `subject` attribute sent: the NameID. */
    attributes: Type.Optional(
      Type.Partial(
        Type.Object(
          Object.fromEntries(ATTRIBUTE_KEYS.map(key => [key, Type.String({ minLength: 1 })])) as Record<
            AttributeKey,
            ReturnType<typeof Type.String>
          >,
          { additionalProperties: false },
        ),
      ),
    ),
    /** Fields without which the sign-in is refused. Default: given name and family name. */
    requiredAttributes: Type.Optional(
      Type.Array(Type.Union(ATTRIBUTE_KEYS.filter(k => k !== 'subject').map(key => Type.Literal(key)))),
    ),
  },
  { additionalProperties: false },
)

export type SamlSettings = Static<typeof SamlSettingsSchema>
export type SamlProvider = IdentityProviderConfig<SamlSettings>

/** The URLs of a provider's endpoints on our side. */
export function samlEndpoints(config: Config, provider: SamlProvider) {
  const base = `${config.baseUrl}/identity/saml/${provider.id}`
  return {
    metadata: `${base}/metadata`,
    acs: `${base}/acs`,
    logout: `${base}/logout`,
    entityId: provider.settings.spEntityId ?? `${base}/metadata`,
  }
}

const pemCache = new Map<string, string>()

/** A PEM file named in the settings; read once (at start, when the routes are registered), kept. */
export function readPem(file: string): string {
  let pem = pemCache.get(file)
  if (pem === undefined) {
    pem = fs.readFileSync(file, 'utf8')
    if (!pem.includes('-----BEGIN')) throw new Error(`${file} is not a PEM file`)
    pemCache.set(file, pem)
  }
  return pem
}

/** Every file a provider names, read now: a wrong path stops the start (naming provider and file), not a sign-in. */
export function checkSamlFiles(provider: SamlProvider): void {
  const s = provider.settings
  for (const file of [
    ...s.idpCertificateFiles,
    s.spSigningKeyFile,
    s.spSigningCertificateFile,
    s.spDecryptionKeyFile,
    s.spEncryptionCertificateFile,
  ]) {
    if (!file) continue
    try {
      readPem(file)
    } catch (error) {
      throw new Error(`identity provider ${provider.id}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  if (s.requireEncryptedAssertions && !s.spDecryptionKeyFile)
    throw new Error(`identity provider ${provider.id}: requireEncryptedAssertions needs spDecryptionKeyFile`)
}

export function attributeNames(settings: SamlSettings): Record<AttributeKey, string> {
  return { ...BUNDID_ATTRIBUTES, ...settings.attributes }
}

const STORK: Record<AssuranceLevel, string> = {
  low: 'STORK-QAA-Level-1',
  substantial: 'STORK-QAA-Level-3',
  high: 'STORK-QAA-Level-4',
}
const EIDAS: Record<AssuranceLevel, string> = {
  low: 'http://eidas.europa.eu/LoA/low',
  substantial: 'http://eidas.europa.eu/LoA/substantial',
  high: 'http://eidas.europa.eu/LoA/high',
}

/** The AuthnContextClassRef that asks for at least this level (Comparison="minimum"). */
export function requestedAuthnContext(style: SamlSettings['levelStyle'], level: AssuranceLevel): string {
  return (style === 'eidas' ? EIDAS : STORK)[level]
}

/**
 * The level a provider reports, in either notation: BundID's STORK QAA levels (1 and 2 are "low": user name and
 * password; 3 is "substantial": ELSTER certificate; 4 is "high": the online ID card) or the eIDAS LoA URIs.
 * Anything else is no level at all.
 */
export function assuranceOf(value: string | undefined): AssuranceLevel | undefined {
  const v = value?.trim()
  if (!v) return undefined
  const stork = /^STORK-QAA-Level-([1-4])$/.exec(v)
  if (stork) return (['low', 'low', 'substantial', 'high'] as const)[Number(stork[1]) - 1]
  const eidas = /^http:\/\/eidas\.europa\.eu\/LoA\/(low|substantial|high)$/.exec(v)
  return eidas ? (eidas[1] as AssuranceLevel) : undefined
}

/** BundID sends street and house number in one attribute ("Musterstraße 12a"). */
function splitStreet(postalAddress: string): { street: string; houseNumber?: string } {
  const match = /^(.*\S)\s+(\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$/.exec(postalAddress.trim())
  return match ? { street: match[1], houseNumber: match[2] } : { street: postalAddress.trim() }
}

/** What a verified assertion says about the person, in our terms, and which required fields it lacks. */
export function mapSamlAttributes(
  settings: SamlSettings,
  values: Record<string, unknown>,
): {
  subject?: string
  email?: string
  level?: AssuranceLevel
  levelValue?: string
  attributes: VerifiedAttributes
  missing: string[]
} {
  const names = attributeNames(settings)
  const read = (key: AttributeKey): string | undefined => {
    const raw = values[names[key]]
    const first = Array.isArray(raw) ? raw[0] : raw
    return typeof first === 'string' && first.trim() ? first.trim() : undefined
  }
  const attributes: VerifiedAttributes = {}
  const givenName = read('givenName')
  const familyName = read('familyName')
  const birthDate = read('birthDate')
  const postalAddress = read('postalAddress')
  const postalCode = read('postalCode')
  const city = read('city')
  if (givenName) attributes.givenName = givenName
  if (familyName) attributes.familyName = familyName
  if (birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate)) attributes.birthDate = birthDate
  if (postalAddress) Object.assign(attributes, splitStreet(postalAddress))
  if (postalCode) attributes.postalCode = postalCode
  if (city) attributes.city = city
  const required = settings.requiredAttributes ?? ['givenName', 'familyName']
  const present: Partial<Record<AttributeKey, unknown>> = {
    givenName,
    familyName,
    birthDate: attributes.birthDate,
    postalAddress,
    postalCode,
    city,
    email: read('email'),
    level: read('level'),
  }
  const levelValue = read('level')
  return {
    subject: read('subject'),
    email: read('email'),
    level: assuranceOf(levelValue),
    levelValue,
    attributes,
    missing: required.filter(key => !present[key]),
  }
}
