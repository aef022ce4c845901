import type { Db, Trx } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import type { Locale, Translate } from '../../platform/i18n/i18n.js'
import type { PageContext } from '../../platform/views/page-context.js'
import type { ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'
import type { CaseEvent, CaseRecord } from './cases.queries.js'
import type { WorkflowTransition } from './cases.workflow.js'
import type { CaseFormState } from './views/case-form-state.js'

// The kernel's extension points. The kernel never names a feature: a feature module declares what it adds to a
// case (page sections, transition guards and effects, timeline entries) in its `<feature>.case.ts(x)`, and the
// composition root (src/case-kernel.ts) lists them and hands them to the app as `app.caseKernel`.

/**
 * Where a section goes on the case page: `main` the reading column, `side` the acting column (both ordered with
 * the kernel's own parts, see KERNEL_ORDER), `answers` inside the answers section below them, `actions` at the end
 * of the actions region.
 */
export type CaseSectionPlace = 'main' | 'side' | 'answers' | 'actions'

/** The orders of the kernel's own parts of the page, for features to place their sections between them. */
export const KERNEL_ORDER = {
  main: { answers: 10, files: 30, messages: 50, timeline: 60 },
  side: { actions: 10, writing: 30, involvements: 50 },
} as const

/** What a section's loader gets: the case as the page shows it, and who reads it. */
export interface CaseSectionInput {
  db: Db
  services: ServiceRegistry
  staff: StaffMember
  record: CaseRecord
  definition: ServiceDefinition
  /** The whole timeline, internal entries included. */
  events: CaseEvent[]
  /** The case's own office reads it and may act; false for an involved office (read only). */
  canAct: boolean
  locale: Locale
}

/** What a section's view gets besides its data. */
interface CaseSectionProps<D> {
  data: D
  ctx: PageContext
  record: CaseRecord
  /** The case page's path, /backoffice/cases/<id>. */
  base: string
  canAct: boolean
  /** The state of a form that failed and re-renders the page: field errors and what the person typed. */
  form?: CaseFormState
}

export interface CaseSection<D> {
  id: string
  place: CaseSectionPlace
  /** Position among the place's sections and the kernel's parts (KERNEL_ORDER); lower comes first. */
  order: number
  /** The section's data; undefined leaves the section out (e.g. a case of a service without it). */
  load(input: CaseSectionInput): Promise<D | undefined> | D | undefined
  // Method syntax on purpose: the kernel keeps sections of many data types in one list.
  /** Pure: data and context in, HTML out. */
  View(props: CaseSectionProps<D>): JSX.Element
}

/** A step about to be taken, as a guard sees it. */
interface GuardedStep {
  caseId: string
  definition: ServiceDefinition
  transition: WorkflowTransition
  /** The case with its answers, read only when a guard needs it. */
  loadCase(): Promise<CaseRecord>
}

/**
 * May refuse a workflow step (e.g. "fees settled"). Asked inside the transition's transaction, where a refusal
 * stops the step (409, nothing done) and re-renders the case page with `Refused` at its top; and when the page is
 * rendered, where the step is shown disabled, described by `Blocked` (its element id: `${id}-blocked-${stepId}`).
 */
export interface TransitionGuard<R> {
  id: string
  /** The message of the refusal where no page shows it (a translation key; params: transition). */
  messageKey: string
  /** undefined lets the step go ahead; anything else is the reason, as a value for the views. */
  check(db: Db, step: GuardedStep): Promise<R | undefined>
  Blocked(props: { ctx: PageContext; base: string; alertId: string; transition: string; refusal: R }): JSX.Element
  Refused(props: { ctx: PageContext; base: string; transition: string; refusal: R }): JSX.Element
}

/** A step that was taken: what effects of a transition get. */
export interface CaseTransitioned {
  caseId: string
  reference: string
  definition: ServiceDefinition
  transition: WorkflowTransition
  from: string
  to: string
  staff: StaffMember
  baseUrl: string
}

/**
 * What follows a step. `inTransaction` runs in the step's transaction, after the status and timeline changed and
 * before the audit row: a throw undoes the step. `afterCommit` runs once the step is committed.
 */
export interface TransitionEffect {
  id: string
  inTransaction?(trx: Trx, done: CaseTransitioned): Promise<void>
  afterCommit?(db: Db, done: CaseTransitioned): Promise<void>
}

/** Timeline entries a feature writes, as a sentence in the reader's language (safe markup). */
export interface CaseEventDescriber {
  kinds: readonly string[]
  describe(event: CaseEvent, t: Translate, audience: 'staff' | 'applicant'): JSX.Element
}

/** Everything the features add to cases, as the composition root wires it. */
export interface CaseKernel {
  sections: readonly CaseSection<unknown>[]
  guards: readonly TransitionGuard<unknown>[]
  effects: readonly TransitionEffect[]
  events: readonly CaseEventDescriber[]
}

/** A kernel with the given extensions; left out means none. */
export function caseKernel(parts: Partial<CaseKernel> = {}): CaseKernel {
  return { sections: [], guards: [], effects: [], events: [], ...parts }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The features' case sections, transition guards and effects, wired by src/case-kernel.ts. */
    caseKernel: CaseKernel
  }
}
