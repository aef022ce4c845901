import type { ReportSection } from './definition.schema.js'

/** What the schema of a report section cannot say: offices exist, codes are unique, the city's box is a box. */
export function checkReportSection(
  report: ReportSection,
  offices: { id: string }[],
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  const codes = new Set<string>()
  report.categories.forEach((category, i) => {
    const at = `/report/categories/${i}`
    if (codes.has(category.code))
      problems.push({ path: `${at}/code`, message: `category code "${category.code}" is used twice` })
    codes.add(category.code)
    if (!offices.some(o => o.id === category.office))
      problems.push({
        path: `${at}/office`,
        message: `unknown office "${category.office}" (see services/_offices.yaml)`,
      })
  })
  const b = report.cityBounds
  if (b.south >= b.north)
    problems.push({ path: '/report/cityBounds/south', message: `south (${b.south}) must be below north (${b.north})` })
  if (b.west >= b.east)
    problems.push({ path: '/report/cityBounds/west', message: `west (${b.west}) must be left of east (${b.east})` })
  // A city, not a country: a box over about 1.5° would make "outside the city" meaningless.
  if (b.north - b.south > 1.5 || b.east - b.west > 1.5)
    problems.push({
      path: '/report/cityBounds',
      message: 'the box spans more than 1.5 degrees; is it really one city?',
    })
  return problems
}
