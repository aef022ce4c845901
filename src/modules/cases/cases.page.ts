import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendHtml } from '../../platform/views/page-context.js'
import { todayInGermany } from '../../platform/i18n/i18n.js'
import { staffOf } from '../staff/index.js'
import { canWorkOn, caseworkOfficeIds, isTeamLead, rolesIn } from './cases.access.js'
import { defaultInvolvementDueOn, suggestedInvolvements } from './cases.involvements.js'
import { listOfficeCaseworkers } from './cases.queries.js'
import { readCaseForStaff } from './cases.read.js'
import { availableTransitions, isFinalStatus } from './cases.workflow.js'
import { noticeSectionData } from '../notices/index.js'
import { reportSectionData } from '../reports/index.js'
import { contactSectionData } from '../contact/index.js'
import { feeStandingOf } from '../payments/index.js'
import { CasePage, type CaseFormState, type DetectedFact } from './views/case.js'
import { extractFacts, factExcerpt } from '../triage/index.js'
import type { ServiceDefinition } from '../catalogue/index.js'

/**
 * Facts in the applicant's free-text answers (textarea fields), for the caseworker to read and copy; the answers
 * stay as sent. Computed on render from the answers only: attachments would mean parsing PDFs on every view.
 */
function detectedFactsOf(definition: ServiceDefinition, answers: Record<string, unknown>): DetectedFact[] {
  return definition.form.pages
    .flatMap(p => p.fields)
    .filter(f => f.type === 'textarea')
    .flatMap(field => {
      const text = answers[field.id]
      if (typeof text !== 'string' || !text) return []
      return extractFacts(text).map(fact => ({ fieldLabel: field.label, fact, excerpt: factExcerpt(text, fact) }))
    })
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
  const ctx = await app.pageContext(req)
  return sendHtml(
    reply,
    CasePage({
      ctx,
      dossier,
      definition,
      form,
      detectedFacts: detectedFactsOf(definition, c.answers),
      transitions,
      // Asked only when a step waits for payment, so the page offers it disabled with the way forward.
      feeStanding: transitions.some(tr => tr.requiresPayment) ? await feeStandingOf(app.db, c, definition) : 'settled',
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
      notices: await noticeSectionData(app.db, app.services, c),
      report: await reportSectionData(app.db, app.services, c, staff),
      contact: contactSectionData(definition, app.services, c, dossier.events, staff),
    }),
    status,
  )
}
