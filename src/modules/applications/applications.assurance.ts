import { ASSURANCE_LEVELS, meetsAssurance, type AssuranceLevel } from '../../platform/auth/assurance.js'
import type { Session } from '../../platform/auth/sessions.js'
import { DomainError } from '../../platform/http/errors.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import { requiredAssurance, type ServiceDefinition, type ServiceRegistry } from '../catalogue/index.js'
import { signInOptions, type IdentityProviderConfig, type SignInOption } from '../identity/index.js'
import type { Draft } from './applications.drafts.js'

/**
 * How sure the platform is of who applies: the eIDAS level of the session's sign-in and its identity provider (none
 * for a password or no sign-in). A case filed by staff at the counter has no level (null): the member of staff
 * identified the person there, in person, and the case names them (filed_by_staff_id).
 */
export interface Identification {
  assurance: AssuranceLevel | null
  identityProvider: string | null
}

/** The identification of whoever works on this draft now: the counter's, or the signed-in person's (low without sign-in). */
export function identificationFor(
  draft: Pick<Draft, 'filedByStaffId'> | null,
  session: Session | null,
): Identification {
  if (draft?.filedByStaffId || (!draft && session?.staff)) return { assurance: null, identityProvider: null }
  const account = session?.account
  return { assurance: account?.assurance ?? 'low', identityProvider: account?.identityProvider ?? null }
}

/** Whether this identification is enough for the level (the counter's always is). */
export function isIdentifiedFor(identification: Identification, need: AssuranceLevel): boolean {
  return identification.assurance === null || meetsAssurance(identification.assurance, need)
}

/**
 * The level a draft needs: its own version's, or the service's current one where that is higher — a level raised
 * while someone was filling in applies to their draft too.
 */
export function assuranceNeededFor(services: ServiceRegistry, definition: ServiceDefinition): AssuranceLevel {
  const current = services.find(definition.id)
  const levels = [requiredAssurance(definition), current ? requiredAssurance(current) : 'low']
  return ASSURANCE_LEVELS[Math.max(...levels.map(level => ASSURANCE_LEVELS.indexOf(level)))]!
}

/**
 * The providers that can give at least the level, as sign-in buttons coming back to `returnTo`: those for the kind
 * of account signed in (else for whom the service is). Signed in with a password, a provider sign-in links the
 * provider's identity to that account (drafts and cases stay where they are) instead of opening a second account.
 */
export function identificationOptions(
  providers: IdentityProviderConfig[],
  definition: ServiceDefinition,
  session: Session | null,
  locale: Locale,
  need: AssuranceLevel,
  returnTo: string,
): SignInOption[] {
  const kinds = session?.account ? [session.account.kind] : definition.audience
  const fitting = providers.filter(p => meetsAssurance(p.maxAssurance, need) && kinds.includes(p.audience))
  return signInOptions(fitting, locale, returnTo, need).map(option =>
    session?.account ? { ...option, href: `${option.href}${option.href.includes('?') ? '&' : '?'}link=1` } : option,
  )
}

/** A submission whose sign-in is below the service's level (a forged request, or the API for such a service). */
export class AssuranceTooLow extends DomainError {
  constructor(need: AssuranceLevel) {
    super(403, `applications.errors.assuranceTooLow.${need === 'high' ? 'high' : 'substantial'}`)
  }
}
