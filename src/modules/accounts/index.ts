import type { FastifyPluginAsync } from 'fastify'
import type { Db } from '../../platform/db/database.js'
import { NotFound } from '../../platform/http/errors.js'

export interface AccountProfile {
  id: string; kind: 'citizen' | 'business'; email: string; locale: string
  givenName: string | null; familyName: string | null; birthDate: string | null; companyName: string | null
  street: string | null; houseNumber: string | null; postalCode: string | null; city: string | null; phone: string | null
}

/** What the account knows about its holder, for once-only prefill. */
export async function accountProfileFor(db: Db, accountId: string): Promise<AccountProfile> {
  const row = await db.selectFrom('accounts').select([
    'id', 'kind', 'email', 'locale', 'given_name as givenName', 'family_name as familyName', 'birth_date as birthDate',
    'company_name as companyName', 'street', 'house_number as houseNumber', 'postal_code as postalCode', 'city', 'phone',
  ]).where('id', '=', accountId).executeTakeFirst()
  if (!row) throw new NotFound()
  return row
}

export const accountRoutes: FastifyPluginAsync = async () => {}
