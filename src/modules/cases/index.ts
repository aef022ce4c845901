export { createCase } from './cases.create.js'

export { sweepDeadlines, DEADLINE_SWEEP_JOB } from './cases.deadlines.sweep.js'

export { recordApplicantReply } from './cases.replies.js'
export { backofficeRoutes } from './cases.routes.js'
export {
  listCasesOfAccount,
  listOwnCasesWithAnswers,
  findCaseOfAccount,
  findCase,
  listCaseIdsInStatus,
  listCaseEvents,
  insertCaseEvent,
  findCaseReferences,
  findCaseIdByReference,
  type CaseRecord,
  type CaseEvent,
} from './cases.queries.js'
export { setNoteEventText } from './cases.queries.js'
export { canFileOnBehalf, canWorkOn } from './cases.access.js'
export { readCaseFileForAccount, findCaseForStaff } from './cases.read.js'
export { stateOf, isFinalStatus, finalStatuses } from './cases.workflow.js'
export { Timeline, AnswersSummary, CaseIdentification } from './views/case-parts.js'
export { actedForText } from './views/acted-for.js'
export { lockCase, moveCaseToOffice, setStatus as setCaseStatus } from './cases.queries.js'
export { assertCaseVersion, parseVersion } from './cases.versions.js'
export { CaseNotFound, CaseChanged } from './cases.errors.js'
export { renderCasePage } from './cases.page.js'
export {
  generateCases,
  parseGenerateCasesArgs,
  GENERATED_OFFICE_PREFIX,
} from './cases.generate.js'
// Extension points: what features plug into the kernel (see src/case-kernel.ts).
export {
  caseKernel,
  KERNEL_ORDER,
  type CaseKernel,
  type CaseSection,
  type CaseEventDescriber,
  type CaseTransitioned,
  type TransitionEffect,
  type TransitionGuard,
} from './cases.kernel.js'
export { casesHolder } from './cases.personal-data.js'
export { findExpiredCases, deleteCases, type CaseRecordHolder } from './cases.retention.js'
export { retentionEnd } from './cases.deadlines.js'
