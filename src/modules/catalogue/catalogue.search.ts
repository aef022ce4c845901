import MiniSearch, { type Query } from 'minisearch'
import snowball from 'snowball-stemmers'
import type { ServiceDefinition } from './definition.schema.js'
import type { OfflineEntry } from './offline.schema.js'

/** `online` false finds only the services offered at the counter (services/_offline.yaml), true only those with a form. */
export interface CatalogueFilter {
  q?: string
  situation?: string
  office?: string
  audience?: string
  online?: boolean
}
export interface CataloguePaging {
  limit: number
  offset: number
}
/** One page of services, best match first, and how many match in all. */
export interface CatalogueResult {
  ids: string[]
  total: number
}

const MAX_QUERY = 200
const MAX_WORDS = 8

const german = snowball.newStemmer('german')
const english = snowball.newStemmer('english')

// Words that say nothing about a service; dropped so that "Hilfe zur Pflege" or "change of address" need not
// find "zur" and "of" too (every query word must match). A query of nothing else keeps them.
const STOP_WORDS = new Set([
  'der',
  'die',
  'das',
  'den',
  'dem',
  'des',
  'ein',
  'eine',
  'einen',
  'einem',
  'einer',
  'eines',
  'und',
  'oder',
  'fuer',
  'im',
  'in',
  'zum',
  'zur',
  'zu',
  'von',
  'vom',
  'mit',
  'bei',
  'beim',
  'auf',
  'aus',
  'an',
  'am',
  'als',
  'nach',
  'ueber',
  'ich',
  'mein',
  'meine',
  'meinen',
  'wie',
  'was',
  'wo',
  'ist',
  'gegen',
  'a',
  'an',
  'the',
  'of',
  'for',
  'to',
  'in',
  'on',
  'at',
  'by',
  'with',
  'and',
  'or',
  'my',
  'i',
  'is',
  'how',
  'what',
  'where',
  'from',
])

/** Lower case, umlauts and ß spelt out: "Führerschein", "Fuehrerschein" and "FÜHRERSCHEIN" are one word. */
function foldWord(word: string): string {
  return word
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // é → e; after the umlauts, which would otherwise lose their e
}

// Allowed edits per query term: none for short words (which would match half the catalogue), one from 5 letters, two from 8.
const fuzziness = (term: string): number | false => (term.length < 5 ? false : term.length < 8 ? 1 : 2)
// The shortest part of a compound worth splitting off.
const MIN_PART = 4

/**
 * The words of the catalogue. A word is indexed as written (folded) and as its stem: a typo is measured against the
 * whole word ("Ummeldnug" is two edits from "ummeldung", three from the stem "ummeld"), an inflection finds its stem.
 */
class Vocabulary {
  /** Folded words as written, for splitting compounds. */
  readonly words = new Set<string>()
  private readonly terms = new Set<string>()
  private readonly seen = { de: new Map<string, string[] | null>(), en: new Map<string, string[] | null>() }
  private sorted: string[] = []

  /** The index terms of one word of a German or English field (a catalogue repeats its words: each is stemmed once). */
  termsOf(word: string, language: 'de' | 'en'): string[] | null {
    let terms = this.seen[language].get(word)
    if (terms === undefined) {
      const folded = foldWord(word)
      const stem = (language === 'de' ? german : english).stem(folded)
      terms = STOP_WORDS.has(folded) ? null : stem === folded ? [folded] : [folded, stem]
      if (terms) {
        if (folded.length >= MIN_PART) this.words.add(folded)
        for (const t of terms) this.terms.add(t)
      }
      this.seen[language].set(word, terms)
    }
    return terms
  }

  /** After indexing: the terms in order, for `startsAWord`. */
  seal(): void {
    this.sorted = [...this.terms].sort()
    this.terms.clear()
  }

  /** Whether some indexed term starts with `prefix` (or is it). */
  startsAWord(prefix: string): boolean {
    let [lo, hi] = [0, this.sorted.length]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.sorted[mid]! < prefix) lo = mid + 1
      else hi = mid
    }
    return this.sorted[lo]?.startsWith(prefix) ?? false
  }

  /**
   * One query word as the index is asked: as written and as its German and English stem (the language is unknown),
   * each with any ending ("Hund" finds "Hundesteuer"). A form that starts a longer form is enough (the stem "onlin"
   * covers "online"): a word in every service costs one lookup, not three. Typos are forgiven only for a word no
   * form of which starts a word of the catalogue, so common words do not drag in their neighbours.
   */
  wordQuery(folded: string): Query {
    const forms = [...new Set([folded, german.stem(folded), english.stem(folded)])]
    const needed = forms.filter(f => !forms.some(g => g !== f && f.startsWith(g)))
    const known = forms.some(f => this.startsAWord(f))
    const fuzzy = known ? false : fuzziness(folded)
    // The forms are alternatives; a combination would otherwise pass its AND on to them.
    if (fuzzy !== false)
      return {
        combineWith: 'OR',
        queries: [[folded, ...needed.filter(f => f !== folded)].join(' ')],
        prefix: true,
        fuzzy: term => term === folded && fuzzy,
      }
    return { combineWith: 'OR', queries: [needed.join(' ')], prefix: true, fuzzy: false }
  }

  /**
   * A German compound the catalogue does not spell as one word: "Gewerbeanmeldung" as "Gewerbe" and "Anmeldung".
   * Split where a part is a word of the catalogue, both parts if possible ("gewerbe|anmeldung", not
   * "gewerbean|meldung"); the other part may still carry a typo or be the start of a word.
   */
  compoundQuery(folded: string): Query | undefined {
    const both: string[][] = []
    const one: string[][] = []
    for (let i = MIN_PART; i <= folded.length - MIN_PART; i++) {
      const parts = [folded.slice(0, i), folded.slice(i)]
      const known = parts.filter(p => this.words.has(p)).length
      if (known) (known === 2 ? both : one).push(parts)
    }
    const splits = (both.length ? both : one).map(
      (parts): Query => ({ combineWith: 'AND', queries: parts.map(p => this.wordQuery(p)) }),
    )
    return splits.length ? { combineWith: 'OR', queries: [this.wordQuery(folded), ...splits] } : undefined
  }
}

// A word found in more services than this says little about what was asked for (see `search`).
const GENERIC_SHARE = 0.05
const GENERIC_MIN = 5

const FIELDS = ['titleDe', 'titleEn', 'keywordsDe', 'keywordsEn', 'summaryDe', 'summaryEn'] as const
type Doc = Record<(typeof FIELDS)[number] | 'id', string>

/** What the search needs of an online service or an offline entry. */
type Item = Pick<
  ServiceDefinition,
  'id' | 'title' | 'summary' | 'keywords' | 'office' | 'lifeSituations' | 'audience'
> & { online: boolean }

/**
 * The catalogue's search index, in memory: German and English (folded, stemmed, prefix-matched), typos forgiven
 * by edit distance, ranked by BM25 with the title above the keywords above the summary. Every instance builds the
 * same index from the same definition files, so all instances answer alike; the database is not asked.
 */
export class CatalogueIndex {
  private readonly index: MiniSearch<Doc>
  private readonly vocabulary = new Vocabulary()
  private readonly byId = new Map<string, Item>()
  /** Position in the catalogue's order (German title, then id): the order without a query, and among equal scores. */
  private readonly position = new Map<string, number>()
  private readonly ordered: Item[]

  constructor(definitions: ServiceDefinition[], offline: OfflineEntry[] = []) {
    // An offline entry is for citizens: a business filter leaves it out.
    const items: Item[] = [
      ...definitions.map(def => ({ ...def, online: true })),
      ...offline.map(entry => ({
        ...entry,
        lifeSituations: entry.lifeSituations ?? [],
        audience: ['citizen' as const],
        online: false,
      })),
    ]
    this.ordered = items.sort(
      (a, b) => a.title.de.localeCompare(b.title.de, 'de') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    this.ordered.forEach((def, i) => {
      this.byId.set(def.id, def)
      this.position.set(def.id, i)
    })
    this.index = new MiniSearch<Doc>({
      fields: [...FIELDS],
      processTerm: (term, field) => this.vocabulary.termsOf(term, field?.endsWith('En') ? 'en' : 'de'),
      searchOptions: { processTerm: term => term }, // query words arrive processed already (see Vocabulary.wordQuery)
    })
    this.index.addAll(
      this.ordered.map(def => ({
        id: def.id,
        titleDe: def.title.de,
        titleEn: def.title.en,
        keywordsDe: (def.keywords?.de ?? []).join(' '),
        keywordsEn: (def.keywords?.en ?? []).join(' '),
        summaryDe: def.summary.de,
        summaryEn: def.summary.en,
      })),
    )
    this.vocabulary.seal()
  }

  /** One page of services, best match first, and the number of all matches. */
  search(filter: CatalogueFilter, page: CataloguePaging = { limit: 50, offset: 0 }): CatalogueResult {
    const keep = (def: Item) =>
      (filter.online === undefined || def.online === filter.online) &&
      (!filter.situation || def.lifeSituations.includes(filter.situation)) &&
      (!filter.office || def.office === filter.office) &&
      (!filter.audience || (def.audience as string[]).includes(filter.audience))
    const words =
      (filter.q ?? '')
        .slice(0, MAX_QUERY)
        .match(/[\p{L}\p{N}]+/gu)
        ?.slice(0, MAX_WORDS)
        .map(foldWord) ?? []
    let ids: string[]
    if (words.length === 0) {
      ids = this.ordered.filter(keep).map(def => def.id)
    } else {
      const meaningful = words.filter(w => !STOP_WORDS.has(w))
      const terms = meaningful.length ? meaningful : words
      const search = (query: Query) =>
        this.index.search(query, {
          boost: { titleDe: 3, titleEn: 3, keywordsDe: 2, keywordsEn: 2 },
          filter: hit => keep(this.byId.get(hit.id as string)!),
        })
      // Every word must match, in any of its forms. Only when nothing does: long words split as compounds,
      // and then any of the words that say what the service is, services with more of them first. A word in many
      // services ("beantragen", "permit") does not: "Personalausweis beantragen" finds nothing in a catalogue
      // without identity cards, rather than every service that can be applied for.
      let hits = search({ combineWith: 'AND', queries: terms.map(w => this.vocabulary.wordQuery(w)) })
      if (hits.length === 0) {
        const compounds = terms.map(w => this.vocabulary.compoundQuery(w))
        const queries = terms.map((w, i) => compounds[i] ?? this.vocabulary.wordQuery(w))
        if (compounds.some(c => c)) hits = search({ combineWith: 'AND', queries })
        if (hits.length === 0 && terms.length > 1) {
          const generic = Math.max(GENERIC_MIN, this.ordered.length * GENERIC_SHARE)
          const specific = queries.filter(q => this.index.search(q).length <= generic)
          if (specific.length) hits = search({ combineWith: 'OR', queries: specific })
        }
      }
      hits.sort((a, b) => b.score - a.score || this.position.get(a.id)! - this.position.get(b.id)!)
      ids = hits.map(hit => hit.id as string)
    }
    return { ids: ids.slice(page.offset, page.offset + page.limit), total: ids.length }
  }
}
