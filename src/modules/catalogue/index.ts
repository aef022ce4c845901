export { ServiceRegistry, syncServices, checkVersionsRaised } from './catalogue.registry.js'
export { catalogueRoutes } from './catalogue.routes.js'
export { catalogueApiRoutes } from './catalogue.api.js'
export {
  loadOffices,
  loadServiceDefinitions,
  loadOfflineEntries,
  DefinitionError,
  type LoadedService,
  type Office,
} from './definitions.load.js'
export type {
  ServiceDefinition,
  Field,
  FieldType,
  Page,
  Text,
  Condition,
  NoticeTemplate,
} from './definition.schema.js'

export { WEEKDAYS, Condition as ConditionSchema, Text as TextSchema } from './definition.schema.js'
export { isServiceFor } from './definition.audience.js'
export { requiredAssurance } from './definition.assurance.js'
export { OfficeContact, ServicePage } from './views/catalogue-pages.js'
export type { ServicePagePart } from './catalogue.parts.js'
export { PLACEHOLDER } from './definition.notices.js'
export type { OfflineEntry } from './offline.schema.js'
