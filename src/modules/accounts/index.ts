import type { Db } from '../../platform/db/database.js'
import { NotFound } from '../../platform/http/errors.js'
import { dateOnly } from './accounts.service.js'
import { selectProfile } from './accounts.queries.js'
import { addressLines, applicantAddressLines } from '../forms/index.js'
import type { ServiceDefinition } from '../catalogue/index.js'

export { accountRoutes } from './accounts.routes.js'
export { requireAccount, accountOf } from './accounts.guard.js'
export { findAccountContact } from './accounts.queries.js'

export interface AccountProfile {
  id: string
  kind: 'citizen' | 'business'
  email: string
  locale: string
  givenName: string | null
  familyName: string | null
  birthDate: string | null
  companyName: string | null
  street: string | null
  houseNumber: string | null
  postalCode: string | null
  city: string | null
  phone: string | null
}

/** What the account knows about its holder, for once-only prefill. */
export async function accountProfileFor(db: Db, accountId: string): Promise<AccountProfile> {
  const row = await selectProfile(db, accountId)
  if (!row) throw new NotFound()
  return { ...row, birthDate: dateOnly(row.birthDate) }
}

/**
 * Whom a letter on a case goes to, for the window of the envelope (DIN 5008): the applicant's name and the address
 * given in the application, else the one in the account's profile (a form that asks for no address).
 */
export async function letterRecipientOf(
  db: Db,
  c: { applicantName: string; accountId: string | null; answers: Record<string, unknown> },
  definition: ServiceDefinition,
): Promise<string[]> {
  const fromAnswers = applicantAddressLines(definition, c.answers)
  if (fromAnswers.length || !c.accountId) return [c.applicantName, ...fromAnswers]
  const row = await selectProfile(db, c.accountId)
  return [c.applicantName, ...(row?.street && row.postalCode && row.city ? addressLines(row) : [])]
}
export { accountHolder, accountIdByEmail, accountPasswordMatches } from './accounts.personal-data.js'
export {
  applyVerifiedAttributes,
  createProviderAccount,
  dropVerifiedMarks,
  hasPassword,
  type VerifiedAttributes,
} from './accounts.verified.js'
export { establishAccountSession } from './accounts.login.js'
