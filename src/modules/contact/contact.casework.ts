import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { BadRequest, Conflict } from '../../platform/http/errors.js'
import type { Office, ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import {
  assertCaseVersion,
  CaseNotFound,
  canWorkOn,
  findCase,
  insertCaseEvent,
  isFinalStatus,
  lockCase,
  moveCaseToOffice,
  type CaseEvent,
  type CaseRecord,
} from '../cases/index.js'
import { recordRoutingDecision, type TriageSettings } from '../triage/index.js'
import { routingTextOf, type ContactRouting } from './contact.routing.js'

export interface ContactSectionData {
  /** What the model said when the enquiry arrived; null for a case made without it (demo data, an older case). */
  routing: ContactRouting | null
  /** The latest decision of a caseworker on the routing since then. */
  decision: { kind: 'forwarded' | 'confirmed'; by: string | null; at: Date; officeId: string } | null
  offices: Office[]
  currentOfficeId: string
  /** Preselected in "forward to": the model's top suggestion while the case waits in the fallback office for a person. */
  preselect: string
  /** The case's office may forward or confirm; involved offices only read. */
  canAct: boolean
}

/** The routing part of a contact case's view; undefined for a case of any other service. */
export function contactSectionData(
  definition: ServiceDefinition,
  services: ServiceRegistry,
  record: CaseRecord,
  events: CaseEvent[],
  staff: StaffMember,
): ContactSectionData | undefined {
  if (definition.routing?.kind !== 'contact') return undefined
  const routedEvent = [...events].reverse().find(e => e.kind === 'contact_routed')
  const routing = routedEvent ? (routedEvent.data as unknown as ContactRouting) : null
  const decisionEvent = [...events]
    .reverse()
    .find(e => e.kind === 'contact_forwarded' || e.kind === 'contact_confirmed')
  const decision = decisionEvent
    ? {
        kind: decisionEvent.kind === 'contact_forwarded' ? ('forwarded' as const) : ('confirmed' as const),
        by: decisionEvent.actorStaffName,
        at: decisionEvent.at,
        officeId: typeof decisionEvent.data.toOffice === 'string' ? decisionEvent.data.toOffice : record.officeId,
      }
    : null
  const top = routing?.suggestions[0]?.officeId
  const waiting = !!routing && !routing.confident && !decision && record.officeId === routing.officeId
  return {
    routing,
    decision,
    offices: services.offices,
    currentOfficeId: record.officeId,
    preselect: waiting && top && top !== record.officeId ? top : '',
    canAct: canWorkOn(staff, record.officeId) && !isFinalStatus(definition, record.status),
  }
}

export interface RoutingAction {
  action: 'forward' | 'confirm'
  /** The office to forward to; ignored when confirming. */
  officeId: string
  expectedVersion: number | undefined
}

/**
 * The case's office forwards an enquiry to another office (the case moves there, unassigned) or confirms that it is
 * where it belongs. Either decision is a training example of the pre-sorting model: forwarding a corrected one,
 * confirming a confirmed one. Forwarding to the office it is already in counts as confirming.
 */
export async function decideContactRouting(
  db: Db,
  services: ServiceRegistry,
  staff: StaffMember,
  caseId: string,
  input: RoutingAction,
  triage: Pick<TriageSettings, 'triageRetrainAfter'>,
): Promise<{ officeId: string; moved: boolean }> {
  return db.transaction().execute(async trx => {
    const locked = await lockCase(trx, caseId)
    // Another office's case answers like a missing one, so ids reveal nothing.
    if (!locked || !canWorkOn(staff, locked.officeId)) throw new CaseNotFound()
    const definition = await services.version(locked.serviceId, locked.serviceVersion)
    if (definition.routing?.kind !== 'contact') throw new CaseNotFound()
    assertCaseVersion(locked, input.expectedVersion)
    if (isFinalStatus(definition, locked.status)) throw new Conflict('contact.errors.caseClosed')
    const target = input.action === 'confirm' ? locked.officeId : input.officeId
    const office = services.office(target)
    if (!office) throw new BadRequest('contact.errors.officeUnknown')
    const record = await findCase(trx, caseId)
    const text = record ? routingTextOf(definition, record.answers) : ''
    const moved = target !== locked.officeId
    if (moved) await moveCaseToOffice(trx, caseId, target)
    await insertCaseEvent(trx, {
      caseId,
      kind: moved ? 'contact_forwarded' : 'contact_confirmed',
      internal: true,
      actorStaffId: staff.id,
      data: {
        fromOffice: locked.officeId,
        toOffice: target,
        office: office.name,
        from: services.office(locked.officeId)?.name ?? null,
      },
    })
    // A question without text (cannot happen through the forms) teaches nothing.
    if (text)
      await recordRoutingDecision(
        trx,
        {
          text,
          label: target,
          office: target,
          kind: 'contact',
          decidedBy: staff,
          caseOfficeId: locked.officeId,
          corrected: moved,
        },
        triage,
      )
    await audit(trx, {
      actor: { staffId: staff.id },
      action: moved ? 'contact.forward' : 'contact.confirm',
      subjectType: 'case',
      subjectId: caseId,
      officeId: locked.officeId,
      details: { fromOffice: locked.officeId, toOffice: target },
    })
    return { officeId: target, moved }
  })
}
