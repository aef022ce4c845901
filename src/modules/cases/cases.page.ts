import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { staffOf } from '../staff/index.js'
import { canWorkOn, caseworkOfficeIds, isTeamLead, rolesIn } from './cases.access.js'
import { defaultInvolvementDueOn, suggestedInvolvements } from './cases.involvements.js'
import type { CaseKernel, CaseSectionInput } from './cases.kernel.js'
import { listOfficeCaseworkers, type CaseRecord } from './cases.queries.js'
import { readCaseForStaff } from './cases.read.js'
import { availableTransitions, isFinalStatus, type WorkflowTransition } from './cases.workflow.js'
import type { ServiceDefinition } from '../catalogue/index.js'
import { CasePage } from './views/case.js'
import type { BlockedStep, LoadedSection } from './views/case-page-props.js'
import type { CaseFormState } from './views/case-form-state.js'

/** The features' sections of this case, in order, with their data; those that have nothing to show are left out. */
async function loadSections(kernel: CaseKernel, input: CaseSectionInput): Promise<LoadedSection[]> {
  const loaded: LoadedSection[] = []
  for (const section of kernel.sections) {
    const data = await section.load(input)
    if (data !== undefined) loaded.push({ section, data })
  }
  return loaded.sort((a, b) => a.section.order - b.section.order)
}

/** The offered steps a guard would refuse now: shown disabled, with the guard's way forward beside them. */
async function findBlockedSteps(
  app: FastifyInstance,
  record: CaseRecord,
  definition: ServiceDefinition,
  transitions: WorkflowTransition[],
): Promise<BlockedStep[]> {
  const blocked: BlockedStep[] = []
  for (const transition of transitions) {
    for (const guard of app.caseKernel.guards) {
      const refusal = await guard.check(app.db, {
        caseId: record.id,
        definition,
        transition,
        loadCase: async () => record,
      })
      if (refusal !== undefined) {
        blocked.push({ transition, guard, refusal })
        break
      }
    }
  }
  return blocked
}

/**
 * The case view, for its office (with every action) and for involved offices (read only, with their request
 * to answer); also re-rendered with errors, typed input or a conflict. `involve` fills the request form with
 * one of the definition's suggested offices.
 */
export async function renderCasePage(
  app: FastifyInstance,
  req: FastifyRequest<{ Params: { caseId: string } }>,
  reply: FastifyReply,
  form?: CaseFormState,
  status = 200,
  opts: { involve?: string } = {},
) {
  const staff = staffOf(req)
  const dossier = await readCaseForStaff(app.db, staff, req.params.caseId)
  const c = dossier.record
  const definition = await app.services.version(c.serviceId, c.serviceVersion)
  const final = isFinalStatus(definition, c.status)
  const canAct = dossier.access === 'office' && canWorkOn(staff, c.officeId)
  const today = todayInGermany()
  const suggestions = suggestedInvolvements(definition, req.locale)
  const suggested = suggestions.find(s => s.officeId === opts.involve)
  const transitions = canAct ? availableTransitions(definition, c.status, rolesIn(staff, c.officeId)) : []
  const sections = await loadSections(app.caseKernel, {
    db: app.db,
    services: app.services,
    staff,
    record: c,
    definition,
    events: dossier.events,
    canAct,
    locale: req.locale,
  })
  const ctx = await app.pageContext(req)
  return sendHtml(
    reply,
    CasePage({
      ctx,
      dossier,
      definition,
      form,
      transitions,
      blocked: await findBlockedSteps(app, c, definition, transitions),
      caseworkers: canAct && isTeamLead(staff, c.officeId) ? await listOfficeCaseworkers(app.db, c.officeId) : null,
      canClaim: canAct && !c.assigneeId && !final,
      isOverdue: !!c.dueAt && new Date(c.dueAt).getTime() < Date.now() && !final,
      involvements: {
        involvements: dossier.involvements,
        offices: app.services.offices,
        viewerOfficeIds: caseworkOfficeIds(staff),
        today,
        request:
          canAct && !final
            ? {
                leadOfficeId: c.officeId,
                suggestions,
                defaultDueOn: defaultInvolvementDueOn(today),
                prefill: suggested
                  ? { officeId: suggested.officeId, task: suggested.task, dueOn: defaultInvolvementDueOn(today) }
                  : undefined,
              }
            : null,
      },
      sections,
      kernel: app.caseKernel,
    }),
    status,
  )
}
