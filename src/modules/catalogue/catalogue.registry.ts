import path from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import { NotFound } from '../../platform/http/errors.js'
import type { ServiceDefinition } from './definition.schema.js'
import { DefinitionError, type LoadedService, type Office } from './definitions.load.js'
import type { OfflineEntry } from './offline.schema.js'
import { CatalogueIndex, type CatalogueFilter, type CataloguePaging, type CatalogueResult } from './catalogue.search.js'

/**
 * The services the city offers: current definitions in memory, every older version in the database; and the
 * services offered only at the counter (services/_offline.yaml), which the catalogue lists with the way to apply.
 */
export class ServiceRegistry {
  private readonly current = new Map<string, ServiceDefinition>()
  private readonly older = new Map<string, ServiceDefinition>()
  private readonly offline = new Map<string, OfflineEntry>()
  private searchIndex?: CatalogueIndex

  constructor(
    private readonly db: Db,
    readonly offices: Office[],
    loaded: LoadedService[],
    offline: OfflineEntry[] = [],
  ) {
    for (const { definition } of loaded) this.current.set(definition.id, definition)
    for (const entry of offline) this.offline.set(entry.id, entry)
  }

  all(): ServiceDefinition[] {
    return [...this.current.values()].sort((a, b) => a.title.de.localeCompare(b.title.de, 'de'))
  }

  /**
   * The services whose cases an office works on: its own, and report services with a category routed to it
   * (a defect report lands in the inbox of its category's office, not of the service's), and routed enquiries,
   * which the pre-sorting model may send to any office.
   */
  forOffice(officeId: string): ServiceDefinition[] {
    return this.all().filter(
      s => s.office === officeId || !!s.routing || !!s.report?.categories.some(c => c.office === officeId),
    )
  }

  find(id: string): ServiceDefinition | undefined {
    return this.current.get(id)
  }

  /** A service offered only at the counter. */
  findOffline(id: string): OfflineEntry | undefined {
    return this.offline.get(id)
  }

  get(id: string): ServiceDefinition {
    const found = this.current.get(id)
    if (!found) throw new NotFound('catalogue.errors.unknownService')
    return found
  }

  /** The definition a draft or case was made with, even after the file moved on to a newer version. */
  async version(id: string, version: number): Promise<ServiceDefinition> {
    const current = this.current.get(id)
    if (current?.version === version) return current
    const key = `${id}@${version}`
    const cached = this.older.get(key)
    if (cached) return cached
    const row = await this.db
      .selectFrom('service_versions')
      .select('definition')
      .where('service_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst()
    if (!row) throw new NotFound('catalogue.errors.unknownService')
    const definition = (
      typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition
    ) as ServiceDefinition
    this.older.set(key, definition)
    return definition
  }

  /**
   * Searches the current definitions: one page of service ids, best match first, and how many match.
   * The index is built at the first search or by `warmSearch` at boot (6,000 services: under a second, about 22 MB)
   * and lives as long as the registry, which holds the definitions of this start: a changed file means a restart.
   */
  search(filter: CatalogueFilter, page?: CataloguePaging): CatalogueResult {
    return this.warmSearch().search(filter, page)
  }

  warmSearch(): CatalogueIndex {
    this.searchIndex ??= new CatalogueIndex([...this.current.values()], [...this.offline.values()])
    return this.searchIndex
  }

  office(id: string): Office | undefined {
    return this.offices.find(o => o.id === id)
  }
}

/** Records every definition version and refreshes the catalogue table; a changed file must raise its version. */
export async function syncServices(db: Db, offices: Office[], loaded: LoadedService[]): Promise<void> {
  await db.transaction().execute(async trx => {
    if (offices.length) {
      await trx
        .insertInto('offices')
        .values(offices.map(o => ({ id: o.id, name_de: o.name.de, name_en: o.name.en })))
        .onConflict(oc =>
          oc
            .column('id')
            .doUpdateSet(eb => ({ name_de: eb.ref('excluded.name_de'), name_en: eb.ref('excluded.name_en') })),
        )
        .execute()
    }
    // In batches, not a statement per file: a catalogue of LeiKa size (6,000 services) syncs in seconds.
    for (let start = 0; start < loaded.length; start += SYNC_BATCH) {
      const batch = loaded.slice(start, start + SYNC_BATCH)
      const hashes = await storedHashes(trx, batch)
      const unraised = unraisedVersions(hashes, batch)
      if (unraised.length) throw new DefinitionError(unraised)
      const fresh = batch.filter(l => !hashes.has(`${l.definition.id}@${l.definition.version}`))
      if (fresh.length) {
        await trx
          .insertInto('service_versions')
          .values(
            fresh.map(({ definition: def, contentHash }) => ({
              service_id: def.id,
              version: def.version,
              definition: JSON.stringify(def),
              content_hash: contentHash,
            })),
          )
          .execute()
      }
      await trx
        .insertInto('catalogue_entries')
        .values(batch.map(({ definition }) => catalogueEntry(definition)))
        .onConflict(oc =>
          oc.column('service_id').doUpdateSet(eb => ({
            current_version: eb.ref('excluded.current_version'),
            office_id: eb.ref('excluded.office_id'),
            audience: eb.ref('excluded.audience'),
            life_situations: eb.ref('excluded.life_situations'),
            title_de: eb.ref('excluded.title_de'),
            title_en: eb.ref('excluded.title_en'),
          })),
        )
        .execute()
    }
    const ids = loaded.map(l => l.definition.id)
    if (ids.length)
      await trx
        .deleteFrom('catalogue_entries')
        .where(sql<boolean>`service_id <> all(${sql.val(ids)}::text[])`)
        .execute()
  })
}

const SYNC_BATCH = 500

/** Hashes of the stored versions of these services, by "id@version". */
async function storedHashes(db: Db, batch: LoadedService[]): Promise<Map<string, string>> {
  const stored = await db
    .selectFrom('service_versions')
    .select(['service_id', 'version', 'content_hash'])
    .where(
      'service_id',
      'in',
      batch.map(l => l.definition.id),
    )
    .execute()
  return new Map(stored.map(r => [`${r.service_id}@${r.version}`, r.content_hash]))
}

/** A file whose version the database holds with other content: cases made with that version would change under them. */
function unraisedVersions(hashes: Map<string, string>, batch: LoadedService[]): string[] {
  return batch.flatMap(l => {
    const existing = hashes.get(`${l.definition.id}@${l.definition.version}`)
    return existing !== undefined && existing !== l.contentHash
      ? [
          `services/${path.basename(l.file)}: /version: the definition changed but "version" is still ${l.definition.version}; raise it so existing cases keep the version they were made with`,
        ]
      : []
  })
}

/**
 * The check of the start that needs the database, without changing it: every changed file raised its version.
 * A database never migrated or synced has nothing to compare against and passes.
 */
export async function checkVersionsRaised(db: Db, loaded: LoadedService[]): Promise<string[]> {
  const table = await sql<{ found: string | null }>`select to_regclass('service_versions')::text as found`.execute(db)
  if (!table.rows[0]?.found) return []
  const problems: string[] = []
  for (let start = 0; start < loaded.length; start += SYNC_BATCH) {
    const batch = loaded.slice(start, start + SYNC_BATCH)
    problems.push(...unraisedVersions(await storedHashes(db, batch), batch))
  }
  return problems
}

function catalogueEntry(def: ServiceDefinition) {
  return {
    service_id: def.id,
    current_version: def.version,
    office_id: def.office,
    audience: def.audience,
    life_situations: def.lifeSituations,
    title_de: def.title.de,
    title_en: def.title.en,
  }
}
