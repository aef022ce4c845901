import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { Session, StaffMember } from '../../platform/auth/sessions.js'
import { NotFound } from '../../platform/http/errors.js'
import type { ServiceDefinition } from '../catalogue/index.js'
import { PREFILLED_KEY, type Answers } from '../forms/index.js'
import { accountProfileFor, type AccountProfile } from '../accounts/index.js'
import { isUuid } from '../../platform/http/ids.js'
import { findDraftRow, insertDraft, type DraftRow } from './applications.queries.js'
import { canFileOnBehalf } from '../cases/index.js'
import { OnBehalfNotAllowed } from './applications.errors.js'
import type { Representation } from '../mandates/index.js'

export interface Draft {
  id: string
  serviceId: string
  serviceVersion: number
  answers: Answers & { [PREFILLED_KEY]?: string[] }
  accountId: string | null
  filedByStaffId: string | null
  caseId: string | null
  /** For whom the account fills it in (chosen before the form): under a mandate, or for a company it is a member of. */
  mandateId: string | null
  businessAccountId: string | null
}

/** Values an account already holds, per prefill source; only non-empty ones count. */
function prefillValues(profile: AccountProfile): Record<string, Answers[string]> {
  const values: Record<string, Answers[string] | null> = {
    givenName: profile.givenName,
    familyName: profile.familyName,
    birthDate: profile.birthDate,
    email: profile.email,
    phone: profile.phone,
    companyName: profile.companyName,
    address:
      profile.street && profile.postalCode && profile.city
        ? {
            street: profile.street,
            houseNumber: profile.houseNumber ?? '',
            postalCode: profile.postalCode,
            city: profile.city,
          }
        : null,
  }
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== '')) as Record<
    string,
    Answers[string]
  >
}

/** Starts an application; for a signed-in person, fields the account already knows are filled and not asked (once-only). */
export async function startDraft(
  db: Db,
  definition: ServiceDefinition,
  session: Session,
  onBehalf: boolean,
  representation: Representation | null = null,
): Promise<string> {
  if (onBehalf) assertMayFileOnBehalf(session.staff, definition)
  const answers: Record<string, unknown> = {}
  const account = onBehalf ? null : session.account
  if (account) {
    // Acting for someone, the form is prefilled with what the mandate holds or the company's profile, never the agent's.
    const profile = representation?.profile ?? (await accountProfileFor(db, account.id))
    const known = prefillValues(profile)
    const prefilled: string[] = []
    for (const field of definition.form.pages.flatMap(p => p.fields)) {
      if (field.prefill && known[field.prefill] !== undefined) {
        answers[field.id] = known[field.prefill]
        prefilled.push(field.id)
      }
    }
    answers[PREFILLED_KEY] = prefilled
  }
  const id = crypto.randomUUID()
  await insertDraft(db, {
    id,
    serviceId: definition.id,
    serviceVersion: definition.version,
    sessionHash: session.idHash,
    accountId: account?.id ?? null,
    filedByStaffId: onBehalf ? (session.staff?.id ?? null) : null,
    answers,
    mandateId: account ? (representation?.mandateId ?? null) : null,
    businessAccountId: account ? (representation?.businessAccountId ?? null) : null,
  })
  return id
}

/** Refuses staff who neither work in the service's office nor hold the counter role (403). */
export function assertMayFileOnBehalf(staff: StaffMember | null | undefined, definition: ServiceDefinition): void {
  if (!staff || !canFileOnBehalf(staff, definition.office)) throw new OnBehalfNotAllowed()
}

/** A draft its owner may see: the account, the staff member at the counter, or the anonymous browser session. Others get 404. */
export async function findOwnDraft(db: Db, draftId: string, session: Session | null): Promise<Draft> {
  if (!session || !isUuid(draftId)) throw new NotFound('applications.errors.draftNotFound')
  const row = await findDraftRow(db, draftId)
  if (!row) throw new NotFound('applications.errors.draftNotFound')
  const owns = row.filed_by_staff_id
    ? row.filed_by_staff_id === session.staff?.id
    : row.account_id
      ? row.account_id === session.account?.id
      : row.session_hash === session.idHash
  if (!owns) throw new NotFound('applications.errors.draftNotFound')
  return draftOf(row)
}

/** A draft by id for work the server does on its own behalf (a confirmed payment), never for a request. */
export async function findDraftForServer(db: Db, draftId: string): Promise<Draft | undefined> {
  const row = await findDraftRow(db, draftId)
  return row ? draftOf(row) : undefined
}

function draftOf(row: DraftRow): Draft {
  return {
    id: row.id,
    serviceId: row.service_id,
    serviceVersion: row.service_version,
    answers: (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Draft['answers'],
    accountId: row.account_id,
    filedByStaffId: row.filed_by_staff_id,
    caseId: row.case_id,
    mandateId: row.mandate_id,
    businessAccountId: row.business_account_id,
  }
}
