import type { Db } from '../../platform/db/database.js'
import { NotFound } from '../../platform/http/errors.js'
import { dateOnly } from './accounts.service.js'
import { selectProfile } from './accounts.queries.js'

export { accountRoutes } from './accounts.routes.js'
export { requireAccount, accountOf } from './accounts.guard.js'
export { localReturnPath } from './accounts.validate.js'
export type { LoginMethod, LoginOutcome, AuthenticatedAccount } from './accounts.login.js'

export interface AccountProfile {
  id: string; kind: 'citizen' | 'business'; email: string; locale: string
  givenName: string | null; familyName: string | null; birthDate: string | null; companyName: string | null
  street: string | null; houseNumber: string | null; postalCode: string | null; city: string | null; phone: string | null
}

/** What the account knows about its holder, for once-only prefill. */
export async function accountProfileFor(db: Db, accountId: string): Promise<AccountProfile> {
  const row = await selectProfile(db, accountId)
  if (!row) throw new NotFound()
  return { ...row, birthDate: dateOnly(row.birthDate) }
}
