import { sql, type Kysely, type SelectQueryBuilder } from 'kysely'
import type { Db } from '../../platform/db/database.js'
import type { Database } from '../../platform/db/schema.js'

export interface CatalogueFilter { q?: string; situation?: string; office?: string; audience?: string }
export interface CataloguePaging { limit: number; offset: number }
/** One page of services, best match first, and how many match in all. */
export interface CatalogueResult { ids: string[]; total: number }

const MAX_QUERY = 200
// word_similarity of a misspelt word to the catalogue text; 0.45 catches "Ummeldnug" and "Fuehrerschein".
const TYPO_THRESHOLD = '0.45'

/**
 * Full-text search in German and English (stemmed, prefix-matched), plus trigram similarity for typos.
 * Returns one page of service ids, best match first, and the number of all matches.
 */
export async function searchCatalogue(db: Db, filter: CatalogueFilter, page: CataloguePaging = { limit: 50, offset: 0 }): Promise<CatalogueResult> {
  const words = (filter.q ?? '').slice(0, MAX_QUERY).toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? []
  if (words.length === 0) {
    const rows = await filtered(db, filter).orderBy('title_de').orderBy('service_id').limit(page.limit).offset(page.offset).execute()
    return { ids: rows.map((r) => r.service_id), total: rows[0]?.total ?? (page.offset > 0 ? await countOf(filtered(db, filter)) : 0) }
  }

  const prefixQuery = words.map((w) => `${w}:*`).join(' & ')
  const text = words.join(' ')
  const de = sql`to_tsquery('german', ${prefixQuery})`
  const en = sql`to_tsquery('english', ${prefixQuery})`
  return db.transaction().execute(async (trx) => {
    // `<%` is word_similarity(text, search_text) >= threshold and, unlike the function, can use the trigram index.
    // The threshold is a setting, set for this transaction only. The planner takes word_similarity for cheap and
    // would rather compute it for every row of a 6,000-row catalogue (0.4 s) than use the indexes (a few ms).
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${TYPO_THRESHOLD}, true), set_config('enable_seqscan', 'off', true)`.execute(trx)
    const matches = narrowed(trx.selectFrom('catalogue_entries'), filter)
      .where(sql<boolean>`search_de @@ ${de} or search_en @@ ${en} or ${text} <% search_text`)
    // Ranked in a subquery, so the count over all matches carries three narrow columns, not the text vectors.
    const ranked = matches.select(['service_id', 'title_de',
      // A typo close to a word of the title counts more than one close to a keyword.
      sql<number>`ts_rank(search_de, ${de}) + ts_rank(search_en, ${en}) + word_similarity(${text}, search_text)
        + 0.5 * word_similarity(${text}, lower(title_de || ' ' || title_en))`.as('rank')])
      .offset(0) // keeps the subquery a subquery (the planner would fold it in and spill to disk)
    const rows = await trx.selectFrom(ranked.as('m')).select(['service_id', sql<number>`count(*) over ()::int`.as('total')])
      .orderBy('rank', 'desc').orderBy('title_de').orderBy('service_id')
      .limit(page.limit).offset(page.offset)
      .execute()
    return { ids: rows.map((r) => r.service_id), total: rows[0]?.total ?? (page.offset > 0 ? await countOf(matches) : 0) }
  })
}

/** The catalogue narrowed by life situation, office and audience; each row knows how many rows there are. */
function filtered(db: Kysely<Database>, filter: CatalogueFilter) {
  return narrowed(db.selectFrom('catalogue_entries'), filter).select(['service_id', sql<number>`count(*) over ()::int`.as('total')])
}

function narrowed<Q extends SelectQueryBuilder<Database, 'catalogue_entries', object>>(query: Q, filter: CatalogueFilter): Q {
  let q = query as SelectQueryBuilder<Database, 'catalogue_entries', object>
  if (filter.situation) q = q.where(sql<boolean>`${filter.situation} = any(life_situations)`)
  if (filter.office) q = q.where('office_id', '=', filter.office)
  if (filter.audience) q = q.where(sql<boolean>`${filter.audience} = any(audience)`)
  return q as Q
}

/** How many rows a query has, for a page past the last one. */
async function countOf(query: SelectQueryBuilder<Database, 'catalogue_entries', object>): Promise<number> {
  const row = await query.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirst()
  return row?.n ?? 0
}
