import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Trx } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import type { RepresentedRelation } from '../../platform/db/schema.js'
import type { ServiceDefinition } from '../catalogue/index.js'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import { computeDueDate } from './cases.deadlines.js'
import { fileSubmission } from '../efile/index.js'

export interface NewCase {
  draftId: string
  definition: ServiceDefinition
  answers: Record<string, unknown>
  applicantName: string
  applicantEmail: string | null
  accountId: string | null
  filedByStaffId: string | null
  locale: string
  /** The office whose inbox the case lands in, when not the service's own (a defect report: its category's office). */
  officeId?: string
  /**
   * How sure the platform was of the submitter (eIDAS level; null at the counter, where staff identified the person)
   * and the identity provider of their sign-in; left out: low, no provider.
   */
  identification?: { assurance: AssuranceLevel | null; identityProvider: string | null }
  /** Who acted for whom (docs/mandates.md): accountId acted, under a mandate or for a company. */
  representation?: {
    mandateId: string | null
    businessAccountId: string | null
    actedByName: string
    representedName: string
    relation: RepresentedRelation
  }
}

/** Opens a case for a submitted draft, in the caller's transaction, with its first timeline entry and audit row. */
export async function createCase(trx: Trx, input: NewCase): Promise<{ id: string; reference: string }> {
  const now = new Date()
  const id = crypto.randomUUID()
  const def = input.definition
  const dueAt = computeDueDate(now, def.processingDeadline)
  const officeId = input.officeId ?? def.office
  // The case number is drawn in the insert itself: one round trip less on every submission.
  const { reference } = await trx
    .insertInto('cases')
    .values({
      id,
      reference: sql<string>`${`DO-${now.getUTCFullYear()}-`} || lpad(nextval('case_reference_seq')::text, 6, '0')`,
      draft_id: input.draftId,
      service_id: def.id,
      service_version: def.version,
      office_id: officeId,
      account_id: input.accountId,
      filed_by_staff_id: input.filedByStaffId,
      applicant_name: input.applicantName || '–',
      applicant_email: input.applicantEmail,
      answers: JSON.stringify(input.answers),
      status: def.workflow.initial,
      submitted_at: now,
      updated_at: now,
      due_at: dueAt,
      next_alert: 'reminder',
      // Retention counts from closure: an open case has no end of retention yet (docs/retention.md).
      retain_until: null,
      locale: input.locale,
      assurance: input.identification ? input.identification.assurance : 'low',
      identity_provider: input.identification?.identityProvider ?? null,
      mandate_id: input.representation?.mandateId ?? null,
      business_account_id: input.representation?.businessAccountId ?? null,
      acted_by_name: input.representation?.actedByName ?? null,
      represented_name: input.representation?.representedName ?? null,
      represented_relation: input.representation?.relation ?? null,
    })
    .returning('reference')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('case_events')
    .values({
      case_id: id,
      kind: 'submitted',
      internal: false,
      actor_account_id: input.accountId,
      actor_staff_id: input.filedByStaffId,
      data: JSON.stringify({ status: def.workflow.initial, onBehalf: !!input.filedByStaffId }),
      case_version: 1,
    })
    .execute()
  // The submitted data is the first document of the case's electronic file.
  await fileSubmission(trx, {
    caseId: id,
    definition: def,
    answers: input.answers,
    locale: input.locale,
    actor: { accountId: input.accountId, staffId: input.filedByStaffId },
  })
  await audit(trx, {
    actor: { accountId: input.accountId, staffId: input.filedByStaffId },
    action: 'case.create',
    subjectType: 'case',
    subjectId: id,
    officeId,
    details: {
      reference,
      serviceId: def.id,
      serviceVersion: def.version,
      ...(input.identification ? { assurance: input.identification.assurance } : {}),
      ...(input.identification?.identityProvider ? { identityProvider: input.identification.identityProvider } : {}),
      ...(input.representation
        ? { mandateId: input.representation.mandateId, businessAccountId: input.representation.businessAccountId }
        : {}),
    },
  })
  return { id, reference }
}
