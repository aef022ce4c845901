import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { isLocale, type Locale } from '../../platform/i18n/i18n.js'
import type { ServiceRegistry } from '../catalogue/index.js'
import { deliverToApplicant } from '../postbox/index.js'
import { canWorkOn, rolesIn } from './cases.access.js'
import {
  CaseNotFound,
  RoleMissing,
  TransitionNotAllowed,
  TransitionRefused,
  UnknownTransition,
} from './cases.errors.js'
import type { CaseKernel, CaseTransitioned } from './cases.kernel.js'
import { findCase, insertCaseEvent, lockCase, setStatus } from './cases.queries.js'
import { stateOf } from './cases.workflow.js'
import { assertCaseVersion } from './cases.versions.js'
import { retentionEnd } from './cases.deadlines.js'

/**
 * Moves a case along its workflow, by the definition version the case was made with.
 * With notifyApplicant the applicant gets the definition's text in the postbox and, if known, by mail.
 * The kernel's guards may refuse the step (TransitionRefused); its effects follow it, in the transaction or after.
 */
export async function transitionCase(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  transitionId: string,
  opts: { baseUrl: string; locale: Locale; expectedVersion: number | undefined; now: Date },
  kernel: Pick<CaseKernel, 'guards' | 'effects'>,
): Promise<void> {
  const done = await db.transaction().execute(async trx => {
    const found = await lockCase(trx, caseId)
    if (!found || !canWorkOn(staff, found.officeId)) throw new CaseNotFound()
    const definition = await services.version(found.serviceId, found.serviceVersion)
    const transition = definition.workflow.transitions.find(tr => tr.id === transitionId)
    if (!transition) throw new UnknownTransition(transitionId)
    const locale = opts.locale
    const statusLabel = stateOf(definition, found.status)?.label[locale] ?? found.status
    if (!transition.from.includes(found.status)) throw new TransitionNotAllowed(transition.label[locale], statusLabel)
    if (!transition.roles.some(r => rolesIn(staff, found.officeId).includes(r))) throw new RoleMissing()
    // Decided on what the page showed: if anything changed since, the person looks again first.
    assertCaseVersion(found, opts.expectedVersion)
    const loadCase = async () => {
      const withAnswers = await findCase(trx, caseId)
      if (!withAnswers) throw new CaseNotFound()
      return withAnswers
    }
    for (const guard of kernel.guards) {
      const refusal = await guard.check(trx, { caseId, definition, transition, loadCase })
      if (refusal !== undefined)
        throw new TransitionRefused(guard.id, guard.messageKey, transition.label[locale], refusal)
    }

    const closes = stateOf(definition, transition.to)?.final === true
    await setStatus(trx, caseId, transition.to, closes ? retentionEnd(opts.now, definition.retention.years) : null)
    await insertCaseEvent(trx, {
      caseId,
      kind: 'transition',
      internal: false,
      actorStaffId: staff.id,
      data: { transitionId, from: found.status, to: transition.to },
    })
    if (transition.notifyApplicant) {
      const applicantLocale = isLocale(found.locale) ? found.locale : 'de'
      const newState = stateOf(definition, transition.to)
      await deliverToApplicant(
        trx,
        {
          caseId,
          reference: found.reference,
          accountId: found.accountId,
          applicantEmail: found.applicantEmail,
          locale: applicantLocale,
          senderStaffId: staff.id,
          subject: `${definition.title[applicantLocale]}: ${newState?.label[applicantLocale] ?? transition.to}`,
          body: transition.notifyApplicant[applicantLocale],
        },
        opts.baseUrl,
      )
    }
    const done: CaseTransitioned = {
      caseId,
      reference: found.reference,
      definition,
      transition,
      from: found.status,
      to: transition.to,
      staff,
      baseUrl: opts.baseUrl,
    }
    for (const effect of kernel.effects) await effect.inTransaction?.(trx, done)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'case.transition',
      subjectType: 'case',
      subjectId: caseId,
      officeId: found.officeId,
      details: { transitionId, from: found.status, to: transition.to },
    })
    return done
  })
  for (const effect of kernel.effects) await effect.afterCommit?.(db, done)
}
