import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { ServiceDefinition } from './definition.schema.js'

/** The eIDAS level of assurance an application for this service needs; `low` where the definition names none. */
export function requiredAssurance(definition: Pick<ServiceDefinition, 'assurance'>): AssuranceLevel {
  return definition.assurance ?? 'low'
}
