import type { ServiceDefinition } from '../catalogue/index.js'
import type { StaffRole } from '../../platform/db/schema.js'

type Workflow = ServiceDefinition['workflow']
export type WorkflowState = Workflow['states'][number]
export type WorkflowTransition = Workflow['transitions'][number]

export function stateOf(definition: ServiceDefinition, status: string): WorkflowState | undefined {
  return definition.workflow.states.find(s => s.id === status)
}

export function isFinalStatus(definition: ServiceDefinition, status: string): boolean {
  return !!stateOf(definition, status)?.final
}

export function finalStatuses(definition: ServiceDefinition): string[] {
  return definition.workflow.states.filter(s => s.final).map(s => s.id)
}

/** Exactly the transitions that start from the status and that one of the person's roles may make. */
export function availableTransitions(
  definition: ServiceDefinition,
  status: string,
  roles: StaffRole[],
): WorkflowTransition[] {
  return definition.workflow.transitions.filter(tr => tr.from.includes(status) && tr.roles.some(r => roles.includes(r)))
}
