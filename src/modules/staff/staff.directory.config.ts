import { Type, type Static } from '@sinclair/typebox'
import { ConfigFileError, readYamlConfig } from '../../platform/config-file.js'
import type { StaffRole } from '../../platform/db/schema.js'
import { isStaffRole, STAFF_ROLES } from './staff.admin.service.js'

/** Where the demo directory's issuer is written in config/staff-directory.demo.yaml: the platform's own address. */
const BASE_URL_PLACEHOLDER = '{BASE_URL}'

const Mapping = Type.Object(
  {
    group: Type.String({ minLength: 1 }),
    office: Type.String({ minLength: 1 }),
    role: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
)

const DirectoryFile = Type.Object(
  {
    /** Shown on the sign-in button ("Mit dem Verzeichnis der Stadt anmelden" when absent). */
    name: Type.Optional(Type.Object({ de: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) })),
    issuer: Type.String({ minLength: 1 }),
    clientId: Type.String({ minLength: 1 }),
    /** The environment variable holding the client secret; none = a public client (PKCE only). */
    clientSecretEnv: Type.Optional(Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$' })),
    scopes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    claims: Type.Optional(
      Type.Object(
        {
          groups: Type.Optional(Type.String({ minLength: 1 })),
          email: Type.Optional(Type.String({ minLength: 1 })),
          name: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** `amr` or `acr` values of the ID token that prove the directory asked for a second factor itself. */
    trustedMfa: Type.Optional(
      Type.Object(
        { amr: Type.Optional(Type.Array(Type.String())), acr: Type.Optional(Type.Array(Type.String())) },
        { additionalProperties: false },
      ),
    ),
    mapping: Type.Array(Mapping),
    /** Staff (e-mail addresses) who may still sign in with their local password under STAFF_PASSWORD_SIGN_IN=break-glass. */
    breakGlass: Type.Optional(Type.Array(Type.String({ minLength: 3 }))),
  },
  { additionalProperties: false },
)
type DirectoryFile = Static<typeof DirectoryFile>

/** The city's directory as the platform uses it: read from STAFF_DIRECTORY_FILE and checked at start. */
export interface StaffDirectory {
  name: { de: string; en: string } | undefined
  issuer: string
  clientId: string
  clientSecret: string | undefined
  scopes: string[]
  claims: { groups: string; email: string; name: string }
  trustedMfa: { amr: string[]; acr: string[] }
  mapping: { group: string; officeId: string; role: StaffRole }[]
  breakGlass: string[]
  /** Set for the demo directory, which the platform reaches in-process (no network, no listening server needed). */
  fetch?: typeof fetch
}

/** Keycloak's and Entra ID's claim is `groups`; AD FS sends `group`, Entra ID app roles come as `roles`. */
const DEFAULT_CLAIMS = { groups: 'groups', email: 'email', name: 'name' }
/** `offline_access` gives the refresh token the periodic check asks the directory with. */
const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access']
/** RFC 8176 values that mean a second factor was used at the directory. */
const DEFAULT_TRUSTED_AMR = ['mfa', 'otp', 'hwk', 'swk', 'sc']

/**
 * Reads the directory file; every problem at once, each with file and path: an office not in services/_offices.yaml,
 * a role the platform does not know, a secret variable that is not set.
 */
export function loadStaffDirectory(
  file: string,
  context: { officeIds: readonly string[]; env: Readonly<Record<string, string | undefined>>; baseUrl: string },
): StaffDirectory {
  const raw: DirectoryFile = readYamlConfig(file, DirectoryFile, 'staff directory configuration')
  const problems: string[] = []
  raw.mapping.forEach((m, i) => {
    if (!context.officeIds.includes(m.office))
      problems.push(`/mapping/${i}/office: "${m.office}" is no office of services/_offices.yaml`)
    if (!isStaffRole(m.role))
      problems.push(`/mapping/${i}/role: "${m.role}" is no staff role; use one of ${STAFF_ROLES.join(', ')}`)
  })
  const issuer = raw.issuer.replace(BASE_URL_PLACEHOLDER, context.baseUrl.replace(/\/$/, ''))
  if (!/^https?:\/\/[^/]/.test(issuer)) problems.push(`/issuer: expected a URL starting with https://, got "${issuer}"`)
  const clientSecret = raw.clientSecretEnv ? context.env[raw.clientSecretEnv] : undefined
  if (raw.clientSecretEnv && !clientSecret)
    problems.push(`/clientSecretEnv: the environment variable ${raw.clientSecretEnv} is not set (or empty)`)
  if (problems.length) throw new ConfigFileError(file, problems, 'staff directory configuration')
  return {
    name: raw.name,
    issuer,
    clientId: raw.clientId,
    clientSecret,
    scopes: raw.scopes ?? DEFAULT_SCOPES,
    claims: { ...DEFAULT_CLAIMS, ...raw.claims },
    trustedMfa: { amr: raw.trustedMfa?.amr ?? DEFAULT_TRUSTED_AMR, acr: raw.trustedMfa?.acr ?? [] },
    mapping: raw.mapping.map(m => ({ group: m.group, officeId: m.office, role: m.role as StaffRole })),
    breakGlass: (raw.breakGlass ?? []).map(email => email.trim().toLowerCase()),
  }
}

/** The roles the directory's groups give, each once: exactly what the person holds after signing in. */
export function mappedRoles(directory: StaffDirectory, groups: readonly string[]) {
  const roles = new Map<string, { officeId: string; role: StaffRole }>()
  for (const m of directory.mapping)
    if (groups.includes(m.group)) roles.set(`${m.officeId}/${m.role}`, { officeId: m.officeId, role: m.role })
  return [...roles.values()]
}

/** The groups claim as a list, whether the directory sends an array or (AD FS with one group) a string. */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim]
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : []
}
