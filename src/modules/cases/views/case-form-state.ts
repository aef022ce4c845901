import type { FieldError } from '../../../platform/views/components.js'
import type { TransitionRefused } from '../cases.errors.js'
import type { InvolveFormState, StatementFormState } from './involvements.js'

/** What a refused action on the case page brings back: the errors and what the person typed. */
export interface CaseFormState {
  errors: FieldError[]
  note?: string
  subject?: string
  body?: string
  requestsDocuments?: boolean
  documentsDueOn?: string
  /** The case changed since the page was rendered: what the person tried, and the version they saw. */
  conflict?: { action: string; since: number }
  /** A guard refused a step that was tried (e.g. before the fees were settled). */
  refused?: TransitionRefused
  involve?: InvolveFormState
  statement?: StatementFormState
}
