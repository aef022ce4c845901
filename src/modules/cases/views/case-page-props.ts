import type { PageContext } from '../../../platform/views/page-context.js'
import type { ServiceDefinition } from '../../catalogue/index.js'
import type { CaseKernel, CaseSection, TransitionGuard } from '../cases.kernel.js'
import type { CaseDossier } from '../cases.read.js'
import type { WorkflowTransition } from '../cases.workflow.js'
import type { CaseFormState } from './case-form-state.js'
import type { InvolvementsSectionProps } from './involvements.js'

/** A feature's section of this case with its data. */
export interface LoadedSection {
  section: CaseSection<unknown>
  data: unknown
}

/** An offered step a guard would refuse now, and why. */
export interface BlockedStep {
  transition: WorkflowTransition
  guard: TransitionGuard<unknown>
  refusal: unknown
}

export interface CasePageProps {
  ctx: PageContext
  dossier: CaseDossier
  definition: ServiceDefinition
  transitions: WorkflowTransition[]
  /** Offered steps a guard would refuse now: shown disabled, with the guard's way forward. */
  blocked: BlockedStep[]
  /** Members of the office a team lead may assign to; null for everyone else. */
  caseworkers: { id: string; name: string }[] | null
  canClaim: boolean
  isOverdue: boolean
  form?: CaseFormState
  /** The Beteiligung section, without the shared parts (ctx, case, errors, typed input). */
  involvements: Omit<InvolvementsSectionProps, 'ctx' | 'caseId' | 'errors' | 'involveForm' | 'statementForm'>
  /** The features' sections with their data, in order (src/case-kernel.ts). */
  sections: LoadedSection[]
  kernel: CaseKernel
}
