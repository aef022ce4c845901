import { sql } from 'kysely'
import type { Db } from '../../platform/db/database.js'

export interface CatalogueFilter { q?: string; situation?: string; office?: string; audience?: string }

const MAX_QUERY = 200
// word_similarity of a misspelt word to the catalogue text; 0.45 catches "Ummeldnug" and "Fuehrerschein".
const TYPO_THRESHOLD = 0.45

/**
 * Full-text search in German and English (stemmed, prefix-matched), plus trigram similarity for typos.
 * Returns service ids, best match first.
 */
export async function searchCatalogue(db: Db, filter: CatalogueFilter): Promise<string[]> {
  const words = (filter.q ?? '').slice(0, MAX_QUERY).toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? []
  let query = db.selectFrom('catalogue_entries').select('service_id')
  if (filter.situation) query = query.where(sql<boolean>`${filter.situation} = any(life_situations)`)
  if (filter.office) query = query.where('office_id', '=', filter.office)
  if (filter.audience) query = query.where(sql<boolean>`${filter.audience} = any(audience)`)
  if (words.length === 0) return (await query.orderBy('title_de').execute()).map((r) => r.service_id)

  const prefixQuery = words.map((w) => `${w}:*`).join(' & ')
  const text = words.join(' ')
  const de = sql`to_tsquery('german', ${prefixQuery})`
  const en = sql`to_tsquery('english', ${prefixQuery})`
  const rows = await query
    // A typo close to a word of the title counts more than one close to a keyword.
    .select(sql<number>`ts_rank(search_de, ${de}) + ts_rank(search_en, ${en}) + word_similarity(${text}, search_text)
      + 0.5 * word_similarity(${text}, lower(title_de || ' ' || title_en))`.as('rank'))
    .where(sql<boolean>`search_de @@ ${de} or search_en @@ ${en} or word_similarity(${text}, search_text) >= ${TYPO_THRESHOLD}`)
    .orderBy('rank', 'desc').orderBy('title_de')
    .limit(50)
    .execute()
  return rows.map((r) => r.service_id)
}
