/**
 * Text → hashed features for the pre-sorting model. Words are folded (lowercase, ä→ae, ß→ss, accents dropped),
 * lightly stemmed, and seen three ways: the word, word pairs, and character 3–5-grams inside each word. The
 * character grams carry typos ("kaput"), dialect ("Laternsche") and compounds ("Müllkippe" / "Muellkipp") to the
 * words the model learned. Every feature remembers the word it came from, so a prediction can be explained in
 * the caseworker's words.
 */

export const HASH_BITS = 18
export const HASH_DIM = 1 << HASH_BITS
const HASH_MASK = HASH_DIM - 1

const WORD_WEIGHT = 1
const BIGRAM_WEIGHT = 0.6
const CHAR_WEIGHT = 0.25
const MAX_WORDS = 400

const STOPWORDS = new Set([
  // German
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
  'aber',
  'ist',
  'sind',
  'war',
  'waren',
  'wird',
  'werden',
  'wurde',
  'wurden',
  'hat',
  'haben',
  'hatte',
  'ich',
  'wir',
  'sie',
  'es',
  'er',
  'ihr',
  'mir',
  'mich',
  'uns',
  'am',
  'im',
  'in',
  'an',
  'auf',
  'bei',
  'mit',
  'von',
  'vom',
  'zu',
  'zum',
  'zur',
  'nach',
  'aus',
  'fuer',
  'ueber',
  'unter',
  'vor',
  'hinter',
  'neben',
  'zwischen',
  'auch',
  'noch',
  'schon',
  'seit',
  'sehr',
  'so',
  'wie',
  'was',
  'wo',
  'wer',
  'wann',
  'da',
  'dort',
  'hier',
  'bitte',
  'danke',
  'dass',
  'ob',
  'wenn',
  'weil',
  'als',
  'man',
  'mein',
  'meine',
  'meinen',
  'meinem',
  'meiner',
  'unser',
  'unsere',
  'kann',
  'koennen',
  'koennte',
  'muss',
  'muessen',
  'soll',
  'sollte',
  'will',
  'moechte',
  'gibt',
  'gib',
  'mal',
  'nur',
  'jetzt',
  'immer',
  'wieder',
  'ja',
  'nein',
  'nicht',
  'kein',
  'keine',
  'sich',
  'sein',
  'seine',
  'diese',
  'dieser',
  'dieses',
  'diesem',
  'hallo',
  'guten',
  'tag',
  'sehr',
  'geehrte',
  'geehrter',
  'damen',
  'herren',
  'gruss',
  'gruessen',
  'freundlichen',
  'mfg',
  'lg',
  'vg',
  // English
  'the',
  'a',
  'an',
  'and',
  'or',
  'but',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'has',
  'have',
  'had',
  'i',
  'we',
  'you',
  'he',
  'she',
  'it',
  'they',
  'my',
  'our',
  'your',
  'of',
  'to',
  'at',
  'on',
  'for',
  'with',
  'from',
  'by',
  'this',
  'that',
  'there',
  'here',
  'please',
  'thanks',
  'thank',
  'do',
  'does',
  'can',
  'could',
  'would',
  'should',
  'will',
  'me',
  'us',
  'its',
  'as',
  'so',
  'if',
  'hi',
  'hello',
  'dear',
])

const SUFFIXES = [
  'ungen',
  'heiten',
  'keiten',
  'ischen',
  'lichen',
  'ische',
  'ung',
  'ing',
  'ern',
  'ed',
  'en',
  'er',
  'es',
  'e',
  'n',
  's',
]

/** Lowercase, German umlauts and ß spelled out, other accents dropped. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
}

/** Strips one common German or English ending, keeping at least four letters. */
export function stemWord(word: string): string {
  for (const suffix of SUFFIXES) {
    if (word.length - suffix.length >= 4 && word.endsWith(suffix)) return word.slice(0, -suffix.length)
  }
  return word
}

export interface Token {
  /** As written in the text (for the explanation). */
  surface: string
  /** Folded, unstemmed. */
  folded: string
  stem: string
}

/** The content words of a text, in order, stopwords and numbers left out. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const surface = match[0]
    // Plain ASCII words (most) need no Unicode folding.
    const folded = /^[A-Za-z0-9]+$/.test(surface) ? surface.toLowerCase() : foldText(surface).replace(/[^a-z0-9]/g, '')
    if (folded.length < 2 || /^[0-9]+$/.test(folded) || STOPWORDS.has(folded)) continue
    tokens.push({ surface, folded, stem: stemWord(folded) })
    if (tokens.length >= MAX_WORDS) break
  }
  return tokens
}

// FNV-1a over the characters of a string, seeded per feature family so "w:ab" and "c:ab" differ.
function hashString(seed: number, s: string, from = 0, to = s.length): number {
  let h = seed >>> 0
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return (h ^ (h >>> 15)) >>> 0
}
const SEED_WORD = 2166136261
const SEED_BIGRAM = 0x9747b28c
const SEED_CHAR = 0x5bd1e995

export interface Features {
  /** Feature indices, ascending, each once. */
  index: Int32Array
  /** Values, L2-normalised over the whole text. */
  value: Float32Array
}

export interface ExplainedFeatures extends Features {
  tokens: Token[]
  /** Per feature (same order as index): which tokens it came from and how much each share of it is. */
  origins: { token: number; share: number }[][]
}

/** Features of a text for training and prediction. */
export function featuresOf(text: string): Features {
  const { index, value } = extractFeatures(text, false)
  return { index, value }
}

/** Features plus where each came from, for an explanation. */
export function explainedFeaturesOf(text: string): ExplainedFeatures {
  return extractFeatures(text, true) as ExplainedFeatures
}

function extractFeatures(text: string, withOrigins: boolean): Features | ExplainedFeatures {
  const tokens = tokenize(text)
  const acc = new Map<number, number>()
  const origins = withOrigins ? new Map<number, Map<number, number>>() : undefined
  const add = (feature: number, weight: number, token: number) => {
    acc.set(feature, (acc.get(feature) ?? 0) + weight)
    if (origins) {
      let o = origins.get(feature)
      if (!o) origins.set(feature, (o = new Map()))
      o.set(token, (o.get(token) ?? 0) + weight)
    }
  }
  for (let t = 0; t < tokens.length; t++) {
    const { folded, stem } = tokens[t]!
    add(hashString(SEED_WORD, stem) & HASH_MASK, WORD_WEIGHT, t)
    if (t + 1 < tokens.length) {
      const pair = `${stem} ${tokens[t + 1]!.stem}`
      const h = hashString(SEED_BIGRAM, pair) & HASH_MASK
      add(h, BIGRAM_WEIGHT / 2, t)
      add(h, BIGRAM_WEIGHT / 2, t + 1)
    }
    const padded = `<${folded}>`
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++)
        add(hashString(SEED_CHAR + n, padded, i, i + n) & HASH_MASK, CHAR_WEIGHT, t)
    }
  }
  const entries = [...acc.entries()].sort((a, b) => a[0] - b[0])
  let norm = 0
  for (const [, v] of entries) norm += v * v
  norm = Math.sqrt(norm) || 1
  const index = new Int32Array(entries.length)
  const value = new Float32Array(entries.length)
  entries.forEach(([i, v], k) => {
    index[k] = i
    value[k] = v / norm
  })
  if (!origins) return { index, value }
  const featureOrigins = entries.map(([i, total]) =>
    [...origins.get(i)!.entries()].map(([token, w]) => ({ token, share: w / total })),
  )
  return { index, value, tokens, origins: featureOrigins }
}
