/**
 * Pre-structuring: facts a form needs, found in free text — dates, Dortmund addresses, licence plates, IBANs, case
 * and fee references, phone numbers, amounts. Each is offered for a person to confirm; nothing fills a field by itself.
 * Where two candidates overlap, the more specific kind wins (an IBAN's digits are no phone number).
 */
import { electronicFormatIBAN, friendlyFormatIBAN, isValidIBAN } from 'ibantools'

export type FactKind =
  | 'date'
  | 'address'
  | 'licence-plate'
  | 'iban'
  | 'case-reference'
  | 'fee-reference'
  | 'payment-reference'
  | 'phone'
  | 'amount'

export interface ExtractedFact {
  kind: FactKind
  /** Normalised: ISO date, E.164 phone, IBAN without spaces, "12.50 EUR", "Hohe Straße 12, 44139 Dortmund". */
  value: string
  /** As found in the text. */
  text: string
  start: number
  end: number
}

/** Dortmund's postcodes (44135–44388); an address with another postcode is not offered. */
export const isDortmundPostcode = (code: string) =>
  /^\d{5}$/.test(code) && Number(code) >= 44135 && Number(code) <= 44388

const MONTHS: Record<string, number> = {
  januar: 1,
  jan: 1,
  january: 1,
  februar: 2,
  feb: 2,
  february: 2,
  maerz: 3,
  märz: 3,
  mär: 3,
  mrz: 3,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  mai: 5,
  may: 5,
  juni: 6,
  jun: 6,
  june: 6,
  juli: 7,
  jul: 7,
  july: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  dezember: 12,
  dez: 12,
  december: 12,
  dec: 12,
}
const MONTH_NAMES =
  'Januar|Jan|January|Februar|Feb|February|März|Maerz|Mär|Mrz|March|Mar|April|Apr|Mai|May|Juni|Jun|June|Juli|Jul|July|August|Aug|September|Sept|Sep|Oktober|Okt|October|Oct|November|Nov|Dezember|Dez|December|Dec'

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2199) return null
  const d = new Date(Date.UTC(year, month - 1, day))
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y))
const monthOf = (name: string) => MONTHS[name.toLowerCase().replace(/\.$/, '')] ?? 0

interface Rule {
  kind: FactKind
  pattern: RegExp
  value: (m: RegExpExecArray) => string | null
}

const STREET_SUFFIX =
  '(?:[Ss]traße|[Ss]trasse|[Ss]tr\\.?|[Ww]eg|[Pp]latz|[Aa]llee|[Rr]ing|[Gg]asse|[Dd]amm|[Hh]ellweg|[Ww]all|[Uu]fer|[Mm]arkt|[Pp]fad|[Ss]teig)'
const STREET = [
  // Kaiserstraße, Wilhelm-Schlombs-Allee, Friedensplatz
  `[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜa-zäöüß][a-zäöüß]*)*-?${STREET_SUFFIX}`,
  // Hohe Straße, Rheinische Str., Brackeler Hellweg, Alter Markt
  `[A-ZÄÖÜ][a-zäöüß]*(?:e|er|en|sche)\\s${STREET_SUFFIX.replace(/\[([A-Z])([a-z])\]/g, '$1')}`,
  // Am Rombergpark, An der Buschmühle, Auf dem Berge, Im Defdahl, Zum Ehrenmal
  '(?:Am|An der|An den|Auf dem|Auf der|Im|In der|Zum|Zur|Unter den) [A-ZÄÖÜ][a-zäöüß-]+',
].join('|')

const RULES: Rule[] = [
  { kind: 'case-reference', pattern: /\bDO-(\d{4})-(\d{6})\b/g, value: m => m[0] },
  { kind: 'fee-reference', pattern: /\bGB-(\d{4})-([2-9A-HJ-NP-Z]{6,12})\b/g, value: m => m[0] },
  { kind: 'payment-reference', pattern: /\bBH-(\d{4})-([2-9A-HJ-NP-Z]{6,12})\b/g, value: m => m[0] },
  {
    kind: 'iban',
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g,
    value: m => {
      const iban = electronicFormatIBAN(m[0]) ?? ''
      return isValidIBAN(iban) ? iban : null
    },
  },
  {
    kind: 'date',
    pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    value: m => isoDate(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  {
    kind: 'date',
    pattern: /\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?!\d)/g,
    value: m => isoDate(fullYear(m[3]!), Number(m[2]), Number(m[1])),
  },
  {
    kind: 'date',
    pattern: new RegExp(`\\b(\\d{1,2})(?:\\.|st|nd|rd|th)?\\s(?:of\\s)?(${MONTH_NAMES})\\.?\\s(\\d{4})\\b`, 'gi'),
    value: m => isoDate(Number(m[3]), monthOf(m[2]!), Number(m[1])),
  },
  {
    kind: 'date',
    pattern: new RegExp(`\\b(${MONTH_NAMES})\\.?\\s(\\d{1,2})(?:st|nd|rd|th)?,?\\s(\\d{4})\\b`, 'gi'),
    value: m => isoDate(Number(m[3]), monthOf(m[1]!), Number(m[2])),
  },
  {
    // FZV: district 1–3 letters, 1–2 letters, 1–4 digits without a leading zero, at most 8 characters; E (electric) or H (historic).
    kind: 'licence-plate',
    pattern: /\b([A-ZÄÖÜ]{1,3})(?:-|\s)\s?([A-Z]{1,2})\s?-?([1-9]\d{0,3})([EH])?(?![\dA-Za-z])/g,
    value: m => (m[1]!.length + m[2]!.length + m[3]!.length <= 8 ? `${m[1]}-${m[2]} ${m[3]}${m[4] ?? ''}` : null),
  },
  {
    kind: 'amount',
    pattern:
      /(?:(?:EUR|€)\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?(?![\d.,]*\d)|\b(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}|--?))?\s?(?:€|EUR\b|Euro\b))/g,
    value: m => {
      const whole = (m[1] ?? m[3] ?? '').replace(/\./g, '')
      const cents = (m[2] ?? m[4] ?? '').replace(/-/g, '')
      if (!whole) return null
      return `${Number(whole)}.${cents.padEnd(2, '0')} EUR`
    },
  },
  {
    kind: 'address',
    pattern: new RegExp(
      `(?<![\\p{L}])(${STREET})\\s(\\d{1,4}(?:\\s?[a-zA-Z](?![\\p{L}]))?(?:\\s?[-–]\\s?\\d{1,4})?)(?:,?\\s(\\d{5})(?:\\s(Dortmund))?)?(?!\\d)`,
      'gu',
    ),
    value: m => {
      const street = m[1]!
        .replace(/[Ss]tr\.?$/, s => (s[0] === 'S' ? 'Straße' : 'straße'))
        .replace(/[Ss]trasse$/, s => (s[0] === 'S' ? 'Straße' : 'straße'))
      const number = m[2]!.replace(/\s/g, '')
      if (m[3] && !isDortmundPostcode(m[3])) return null
      return `${street} ${number}, ${m[3] ? `${m[3]} ` : ''}Dortmund`
    },
  },
  {
    kind: 'phone',
    pattern: /(?:\+49|0049)\s?(?:\(0\)\s?)?\(?\d[\d\s/()-]{4,16}\d|\(?0\d{2,5}\)?[\s/-]?\d[\d\s-]{3,12}\d/g,
    value: m => {
      let digits = m[0].replace(/\(0\)/, '').replace(/[^\d+]/g, '')
      if (digits.startsWith('0049')) digits = `+49${digits.slice(4)}`
      else if (digits.startsWith('0')) digits = `+49${digits.slice(1)}`
      const national = digits.slice(3)
      // German numbers: area code without 0 plus subscriber, 6 to 11 digits in all.
      return /^\+49[1-9]\d{5,10}$/.test(digits) && national.length >= 6 ? digits : null
    },
  },
]

/** Facts in the text, in reading order; overlapping candidates give way to the more specific kind. */
export function extractFacts(text: string): ExtractedFact[] {
  const input = text.slice(0, 100_000)
  const found: ExtractedFact[] = []
  const taken: [number, number][] = []
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a)
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0
    for (let m = rule.pattern.exec(input); m; m = rule.pattern.exec(input)) {
      const raw = m[0]
      const trimmed = raw.replace(/[\s,.;:-]+$/, '')
      const start = m.index
      const end = start + trimmed.length
      if (!trimmed || overlaps(start, end)) continue
      const value = rule.value(m)
      if (value === null) continue
      found.push({ kind: rule.kind, value, text: trimmed, start, end })
      taken.push([start, end])
    }
  }
  return found.sort((a, b) => a.start - b.start)
}

/** How a value reads to a person (IBAN in groups of four). */
export function displayValue(fact: ExtractedFact): string {
  return fact.kind === 'iban' ? (friendlyFormatIBAN(fact.value) ?? fact.value) : fact.value
}
