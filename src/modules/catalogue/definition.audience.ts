import type { AccountKind } from '../../platform/db/schema.js'
import type { ServiceDefinition } from './definition.schema.js'

/**
 * Whether a person signed in with this kind of account may apply. The audience is a list (citizen, business or
 * both); someone without an account cannot be told apart, so only an account's kind can exclude it.
 */
export function isServiceFor(definition: Pick<ServiceDefinition, 'audience'>, kind: AccountKind): boolean {
  return definition.audience.includes(kind)
}
