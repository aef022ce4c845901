import { type Static, Type } from '@sinclair/typebox'
import { ASSURANCE_LEVELS, type AssuranceLevel } from '../../platform/auth/assurance.js'
import type { AccountKind } from '../../platform/db/schema.js'
import type { VerifiedAttributes } from '../accounts/index.js'

/** A claim name, or a path into a structured claim (`address.street_address`). */
const ClaimPath = Type.String({ pattern: '^[A-Za-z0-9_:/.-]{1,200}$' })

const ATTRIBUTES = [
  'givenName',
  'familyName',
  'birthDate',
  'street',
  'houseNumber',
  'postalCode',
  'city',
  'companyName',
] as const satisfies readonly (keyof VerifiedAttributes)[]

/** Where each piece of what we need comes from in the provider's claims. */
const ClaimMapping = Type.Object(
  {
    ...Object.fromEntries(ATTRIBUTES.map(key => [key, Type.Optional(ClaimPath)])),
    email: Type.Optional(ClaimPath),
    emailVerified: Type.Optional(ClaimPath),
    companyRole: Type.Optional(ClaimPath),
  },
  { additionalProperties: false },
)

/**
 * The `settings` of an OpenID Connect provider in config/identity.yaml. The client secret is never in the file: the
 * entry names the environment variable that holds it.
 */
export const OidcSettingsSchema = Type.Object(
  {
    /** The issuer URL; its /.well-known/openid-configuration is read at the first sign-in. */
    issuer: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 }),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    /** The environment variable with the client secret; without it the platform is a public client (PKCE only). */
    clientSecretEnv: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,99}$' })),
    scopes: Type.Optional(
      Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,100}$' }), { minItems: 1 }),
    ),
    claims: Type.Optional(ClaimMapping),
    /** Attributes without which a sign-in is refused (defaults: the name for people, the company name for companies). */
    requiredAttributes: Type.Optional(Type.Array(Type.Union(ATTRIBUTES.map(key => Type.Literal(key))))),
    /** The provider's `acr` values per eIDAS level; asked for with acr_values, checked in the ID token. */
    acr: Type.Optional(
      Type.Object(
        Object.fromEntries(
          ASSURANCE_LEVELS.map(level => [
            level,
            Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }))),
          ]),
        ),
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

export type OidcSettings = Static<typeof OidcSettingsSchema> & {
  claims?: Partial<Record<(typeof ATTRIBUTES)[number] | 'email' | 'emailVerified' | 'companyRole', string>>
  acr?: Partial<Record<AssuranceLevel, string[]>>
}

const DEFAULT_CLAIMS: Record<AccountKind, NonNullable<OidcSettings['claims']>> = {
  citizen: {
    givenName: 'given_name',
    familyName: 'family_name',
    birthDate: 'birthdate',
    street: 'address.street_address',
    postalCode: 'address.postal_code',
    city: 'address.locality',
    email: 'email',
    emailVerified: 'email_verified',
  },
  business: {
    companyName: 'company_name',
    companyRole: 'company_role',
    givenName: 'given_name',
    familyName: 'family_name',
    street: 'address.street_address',
    postalCode: 'address.postal_code',
    city: 'address.locality',
    email: 'email',
    emailVerified: 'email_verified',
  },
}

const DEFAULT_REQUIRED: Record<AccountKind, (keyof VerifiedAttributes)[]> = {
  citizen: ['givenName', 'familyName'],
  business: ['companyName'],
}

export const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'address']

/** What the provider says about the person, as the profile names it; `missing` lists required attributes not sent. */
export interface MappedClaims {
  attributes: VerifiedAttributes
  email?: string
  emailVerified: boolean
  companyRole?: string
  missing: (keyof VerifiedAttributes)[]
}

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path]
  let value: unknown = claims
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  // Kept to what a profile field holds; a longer value is not a name or an address.
  return trimmed && trimmed.length <= 200 ? trimmed : undefined
}

// "Musterstraße 12a" → street and house number, as the profile keeps them apart.
const STREET_AND_NUMBER = /^(.*\S)\s+(\d+\s?[A-Za-z]?(?:\s?[-/]\s?\d+\s?[A-Za-z]?)?)$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** Maps the provider's claims (ID token and userinfo) to the profile's fields by the provider's settings. */
export function mapClaims(settings: OidcSettings, kind: AccountKind, claims: Record<string, unknown>): MappedClaims {
  const mapping = { ...DEFAULT_CLAIMS[kind], ...settings.claims }
  const read = (key: keyof typeof mapping) => {
    const path = mapping[key]
    return path ? text(claimAt(claims, path)) : undefined
  }
  const attributes: VerifiedAttributes = {}
  for (const key of ATTRIBUTES) {
    const value = read(key)
    if (value) attributes[key] = value
  }
  if (attributes.street && !attributes.houseNumber) {
    const split = STREET_AND_NUMBER.exec(attributes.street)
    if (split) {
      attributes.street = split[1]
      attributes.houseNumber = split[2]
    }
  }
  if (attributes.birthDate && !DATE.test(attributes.birthDate)) delete attributes.birthDate
  const verifiedPath = mapping.emailVerified
  const verified = verifiedPath ? claimAt(claims, verifiedPath) : undefined
  const required = settings.requiredAttributes ?? DEFAULT_REQUIRED[kind]
  return {
    attributes,
    email: read('email')?.toLowerCase(),
    emailVerified: verified === true || verified === 'true',
    companyRole: read('companyRole'),
    missing: required.filter(key => !attributes[key]),
  }
}

/**
 * The level a sign-in reached: the level whose acr values contain the returned `acr` (none known: low), never more
 * than the provider's highest. A provider with no acr mapping gives its one level.
 */
export function assuranceOf(settings: OidcSettings, maxAssurance: AssuranceLevel, acr: unknown): AssuranceLevel {
  const mapping = settings.acr
  if (!mapping || !Object.values(mapping).some(values => values?.length)) return maxAssurance
  const reached = ASSURANCE_LEVELS.filter(level => typeof acr === 'string' && mapping[level]?.includes(acr)).at(-1)
  if (!reached) return 'low'
  return ASSURANCE_LEVELS.indexOf(reached) > ASSURANCE_LEVELS.indexOf(maxAssurance) ? maxAssurance : reached
}

/**
 * The acr values to ask for: those of the level needed and of every higher one, the lowest first (the one with least
 * effort for the person). With no level needed, every level: the provider then names the one reached.
 */
export function acrValuesFor(settings: OidcSettings, need: AssuranceLevel = 'low'): string | undefined {
  if (!settings.acr) return undefined
  const levels = ASSURANCE_LEVELS.slice(ASSURANCE_LEVELS.indexOf(need))
  const values = levels.flatMap(level => settings.acr?.[level] ?? [])
  return values.length ? values.join(' ') : undefined
}
