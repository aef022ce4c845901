import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { canWorkOn, isTeamLead } from './cases.access.js'
import { AssigneeNotInOffice, CaseAlreadyClaimed, CaseClosed, CaseNotFound, RoleMissing } from './cases.errors.js'
import { findStaffName, insertCaseEvent, isOfficeCaseworker, lockCase, setAssignee } from './cases.queries.js'
import { isFinalStatus } from './cases.workflow.js'
import { assertCaseVersion } from './cases.versions.js'

/**
 * A caseworker takes an unassigned, open case of their own office. Someone else's claim meanwhile is named
 * (409); any other change since the page was rendered refuses the claim too (versioned write).
 */
export async function claimCase(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  expectedVersion: number | undefined,
): Promise<void> {
  await db.transaction().execute(async trx => {
    // The row lock makes a second, simultaneous claim wait and then see the first one's assignee.
    const found = await lockCase(trx, caseId)
    if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
    if (found.assigneeId === staff.id) return
    if (found.assigneeId) throw new CaseAlreadyClaimed((await findStaffName(trx, found.assigneeId))?.name ?? '–')
    assertCaseVersion(found, expectedVersion)
    const definition = await services.version(found.serviceId, found.serviceVersion)
    if (isFinalStatus(definition, found.status)) throw new CaseClosed()

    await setAssignee(trx, caseId, staff.id)
    await insertCaseEvent(trx, {
      caseId,
      kind: 'claimed',
      internal: true,
      actorStaffId: staff.id,
      data: { assigneeId: staff.id },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.claim',
      subjectType: 'case',
      subjectId: caseId,
      officeId: found.officeId,
    })
  })
}

/** A team lead gives a case to a caseworker of the same office, or takes it back (assigneeId null). */
export async function assignCase(
  db: Db,
  staff: StaffMember,
  caseId: string,
  assigneeId: string | null,
  expectedVersion: number | undefined,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const found = await lockCase(trx, caseId)
    if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
    if (!isTeamLead(staff, found.officeId)) throw new RoleMissing()
    if (assigneeId && !(await isOfficeCaseworker(trx, found.officeId, assigneeId))) throw new AssigneeNotInOffice()
    // A stale page would silently replace someone else's assignment.
    assertCaseVersion(found, expectedVersion)
    if (found.assigneeId === assigneeId) return

    await setAssignee(trx, caseId, assigneeId)
    const assigneeName = assigneeId ? ((await findStaffName(trx, assigneeId))?.name ?? null) : null
    await insertCaseEvent(trx, {
      caseId,
      kind: 'assigned',
      internal: true,
      actorStaffId: staff.id,
      data: { assigneeId, assigneeName },
    })
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.assign',
      subjectType: 'case',
      subjectId: caseId,
      officeId: found.officeId,
      details: { assigneeId, previousAssigneeId: found.assigneeId },
    })
  })
}
