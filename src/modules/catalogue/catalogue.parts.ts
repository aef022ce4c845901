import type { Translate } from '../../platform/i18n/i18n.js'
import type { ServiceDefinition } from './definition.schema.js'

/**
 * A part that a feature adds to every service page (payments: the fees), after the list of documents. The
 * catalogue names no feature: the composition root lists the parts (src/extensions.ts) and passes them in.
 */
export interface ServicePagePart {
  id: string
  /** Pure: the service's definition in, HTML out; '' when the part has nothing to say about this service. */
  View(props: { definition: ServiceDefinition; t: Translate }): JSX.Element
}
