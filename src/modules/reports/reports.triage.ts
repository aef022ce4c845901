import type { Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { recordRoutingDecision, type TriageSettings } from '../triage/index.js'

export interface RoutingDecision {
  text: string
  label: string
  office: string
  kind: 'report'
  decidedBy: StaffMember
  /** The report case's office, which the decider works in. */
  caseOfficeId: string
  corrected: boolean
}

/** Records the office's decision on a report's category (confirmed or corrected), so the suggestion learns from it. */
export async function recordReportCategoryDecision(
  trx: Trx,
  decision: RoutingDecision,
  settings: Pick<TriageSettings, 'triageRetrainAfter'>,
): Promise<void> {
  await recordRoutingDecision(trx, decision, settings)
}
