import { sql } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import { NotFound } from '../../platform/http/errors.js'
import type { ServiceDefinition } from './definition.schema.js'
import type { LoadedService, Office } from './definitions.load.js'

/** The services the city offers: current definitions in memory, every older version in the database. */
export class ServiceRegistry {
  private readonly current = new Map<string, ServiceDefinition>()
  private readonly older = new Map<string, ServiceDefinition>()

  constructor(private readonly db: Db, readonly offices: Office[], loaded: LoadedService[]) {
    for (const { definition } of loaded) this.current.set(definition.id, definition)
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
    return this.all().filter((s) => s.office === officeId || !!s.routing || !!s.report?.categories.some((c) => c.office === officeId))
  }

  find(id: string): ServiceDefinition | undefined {
    return this.current.get(id)
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
    const row = await this.db.selectFrom('service_versions').select('definition').where('service_id', '=', id).where('version', '=', version).executeTakeFirst()
    if (!row) throw new NotFound('catalogue.errors.unknownService')
    const definition = (typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition) as ServiceDefinition
    this.older.set(key, definition)
    return definition
  }

  office(id: string): Office | undefined {
    return this.offices.find((o) => o.id === id)
  }
}

/** Records every definition version and refreshes the searchable catalogue; a changed file must raise its version. */
export async function syncServices(db: Db, offices: Office[], loaded: LoadedService[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const office of offices) {
      await trx.insertInto('offices').values({ id: office.id, name_de: office.name.de, name_en: office.name.en })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name_de: office.name.de, name_en: office.name.en })).execute()
    }
    for (const { definition: def, contentHash, file } of loaded) {
      const existing = await trx.selectFrom('service_versions').select('content_hash')
        .where('service_id', '=', def.id).where('version', '=', def.version).executeTakeFirst()
      if (existing && existing.content_hash !== contentHash) {
        throw new Error(`${file}: the definition changed but "version" is still ${def.version}; raise it so existing cases keep the version they were made with`)
      }
      if (!existing) {
        await trx.insertInto('service_versions').values({ service_id: def.id, version: def.version, definition: JSON.stringify(def), content_hash: contentHash }).execute()
      }
      const keywordsDe = (def.keywords?.de ?? []).join(' ')
      const keywordsEn = (def.keywords?.en ?? []).join(' ')
      const searchText = [def.title.de, def.title.en, keywordsDe, keywordsEn].join(' ').toLowerCase()
      const values = {
        service_id: def.id,
        current_version: def.version,
        office_id: def.office,
        audience: def.audience,
        life_situations: def.lifeSituations,
        title_de: def.title.de,
        title_en: def.title.en,
        search_de: sql<string>`setweight(to_tsvector('german', ${def.title.de}), 'A') || setweight(to_tsvector('german', ${keywordsDe}), 'B') || setweight(to_tsvector('german', ${def.summary.de}), 'C')`,
        search_en: sql<string>`setweight(to_tsvector('english', ${def.title.en}), 'A') || setweight(to_tsvector('english', ${keywordsEn}), 'B') || setweight(to_tsvector('english', ${def.summary.en}), 'C')`,
        search_text: searchText,
      }
      await trx.insertInto('catalogue_entries').values(values)
        .onConflict((oc) => oc.column('service_id').doUpdateSet(values)).execute()
    }
    const ids = loaded.map((l) => l.definition.id)
    if (ids.length) await trx.deleteFrom('catalogue_entries').where('service_id', 'not in', ids).execute()
  })
}
