import type { Config } from './platform/config.js'
import { loadLetterhead } from './platform/pdf/index.js'
import { loadPdfSigners, type PdfSigners } from './platform/signing/index.js'
import {
  DefinitionError,
  loadOfflineEntries,
  loadOffices,
  loadServiceDefinitions,
  type LoadedService,
  type OfflineEntry,
  type Office,
} from './modules/catalogue/index.js'
import { cityConfigOf } from './modules/legal/index.js'
import { identityProvidersOf } from './identity.js'
import { loadLifeEvents, type LifeEventRule } from './modules/suggestions/index.js'
import { staffDirectoryOf } from './staff-directory.js'
import { loadResources, type Resource } from './modules/booking/index.js'

export interface CheckedStartFiles {
  offices: Office[]
  loaded: LoadedService[]
  offline: OfflineEntry[]
  signers: PdfSigners
  /** What usually comes next after an application (services/_life-events.yaml), for the suggestions. */
  lifeEvents: LifeEventRule[]
  /** What can be booked (services/_resources.yaml): counters, video desks, halls, rooms. */
  resources: Resource[]
}

/**
 * Every file the start reads and checks before it touches the database: offices, service definitions (schema and
 * cross-checks: offices, states, notice placeholders, report categories, routing), the services offered only offline
 * (services/_offline.yaml), the rules of what comes next (services/_life-events.yaml), the letterhead, the city file of the legal pages and the signing certificates. The start and `bauhaus check-services` both run this one function, so they cannot drift apart;
 * the one check that needs the database (a changed file raised its version) is checkVersionsRaised.
 */
export function checkStartFiles(config: Config): CheckedStartFiles {
  const offices = loadOffices(config.servicesDir)
  const loaded = loadServiceDefinitions(config.servicesDir, offices)
  const offline = loadOfflineEntries(config.servicesDir, offices, loaded)
  const lifeEvents = loadLifeEvents(
    config.servicesDir,
    loaded.map(l => l.definition),
    offline,
  )
  const resources = loadResources(
    config.servicesDir,
    offices.map(o => o.id),
  )
  appointmentProblems(loaded, resources)
  // Checked now, not at the first letter: a broken letterhead stops the start.
  loadLetterhead(config.letterheadFile)
  // The legal pages must not fail at a visitor: a missing translation or field stops the start (read once, kept).
  cityConfigOf(config.cityConfigFile)
  // A provider entry that is wrong would fail at the first citizen who clicks its button.
  identityProvidersOf(config)
  // Likewise the staff directory: an unknown office or role in its mapping table stops the start, file and path named.
  staffDirectoryOf(
    config,
    offices.map(o => o.id),
  )
  // The office that checks mandates must exist, or every proof would wait for nobody.
  if (!offices.some(o => o.id === config.mandatesOffice))
    throw new Error(`MANDATES_OFFICE: no office "${config.mandatesOffice}" in ${config.servicesDir}/_offices.yaml`)
  // Every office certificate is opened now: a wrong passphrase or an expired certificate stops the start.
  const signers = loadPdfSigners({
    file: config.signingConfigFile,
    cityName: config.cityName,
    env: process.env,
    officeIds: offices.map(o => o.id),
  })
  return { offices, loaded, offline, signers, lifeEvents, resources }
}

/** A service that ends by booking names counters or video desks that exist; otherwise its applicants could not book. */
function appointmentProblems(loaded: LoadedService[], resources: Resource[]) {
  const problems: string[] = []
  for (const { definition, file } of loaded) {
    const wanted = definition.appointment?.resource
    for (const [i, id] of [wanted ?? []].flat().entries()) {
      const at = Array.isArray(wanted) ? `/appointment/resource/${i}` : '/appointment/resource'
      const resource = resources.find(r => r.id === id)
      if (!resource) problems.push(`${file}: ${at}: unknown resource "${id}" (see services/_resources.yaml)`)
      else if (resource.kind !== 'counter' && resource.kind !== 'video')
        problems.push(
          `${file}: ${at}: "${id}" is a ${resource.kind}; appointments are booked at counters and video desks`,
        )
    }
  }
  if (problems.length) throw new DefinitionError(problems)
}
