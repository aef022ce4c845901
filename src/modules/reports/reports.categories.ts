import type { ServiceDefinition, ServiceRegistry } from '../catalogue/index.js'

/** One kind of defect citizens report; `code` is the Open311 service_code. */
export interface ReportCategory {
  code: string
  name: { de: string; en: string }
  description: { de: string; en: string }
  group: { de: string; en: string }
  office: string
  keywords: string[]
  sensitive: boolean
}

/** The services whose cases are defect reports (a `report:` section in their definition). */
export function reportServices(services: ServiceRegistry): ServiceDefinition[] {
  return services.all().filter(s => !!s.report)
}

/** Every category citizens may report, in the order of the definitions. */
export function listReportCategories(services: ServiceRegistry): ReportCategory[] {
  return reportServices(services).flatMap(categoriesOf)
}

export function categoriesOf(definition: ServiceDefinition): ReportCategory[] {
  return (definition.report?.categories ?? []).map(c => ({ ...c, sensitive: !!c.sensitive }))
}

/** The category with this code and the report service that holds it. */
export function findReportCategory(
  services: ServiceRegistry,
  code: string,
): { category: ReportCategory; definition: ServiceDefinition } | undefined {
  for (const definition of reportServices(services)) {
    const category = categoriesOf(definition).find(c => c.code === code)
    if (category) return { category, definition }
  }
  return undefined
}

/** The area reports are accepted in: the box of the first report service (a city runs one). */
export function cityBoundsOf(services: ServiceRegistry) {
  return reportServices(services)[0]?.report?.cityBounds
}
