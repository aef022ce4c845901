/**
 * Builds report-starter.csv and contact-starter.csv from the base texts: each base text once as written, plus
 * deterministic (seeded) variations — a Dortmund place added, typos, Ruhr-German colloquial spellings, greetings,
 * all lowercase — each marked "synthetic variation of <source>#<group>". Run: npx tsx data/triage/build-starter.ts
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { REPORT_BASES, type Base } from './report-bases.js'
import { CONTACT_BASES } from './contact-bases.js'
import { CONTACT_LEXICON, REPORT_LEXICON } from './lexicon.js'
import YAML from 'yaml'
import { seededRandom as seeded } from '../../src/modules/triage/triage.model.js'

const here = path.dirname(fileURLToPath(import.meta.url))


const PLACES = [
  'Hohe Straße 12', 'Kreuzung Kaiserstraße / Ostwall', 'im Westpark', 'am Phoenix-See', 'Brackeler Hellweg Höhe Nr. 40',
  'vor der Grundschule in Hörde', 'an der Haltestelle Reinoldikirche', 'Rheinische Straße 88, 44137 Dortmund', 'Märkische Str. 5',
  'im Fredenbaumpark', 'Lindemannstraße Ecke Möllerstraße', 'am Borsigplatz', 'Huckarder Straße 100', 'in Aplerbeck am Marktplatz',
  'Wambeler Hellweg 23', 'hinter dem Dietrich-Keuning-Haus', 'Alter Markt', 'Münsterstraße 150', 'im Rombergpark', 'Evinger Platz',
]
const PLACES_EN = ['on Hohe Strasse', 'near the Phoenix lake', 'in Westpark', 'at the Reinoldikirche stop', 'on Rheinische Strasse', 'by the Borsigplatz']
const OPENERS_DE = ['Hallo, ', 'Guten Tag, ich möchte folgendes melden: ', 'Bitte dringend: ', 'Moin, ', 'Hallo Stadt Dortmund, ', 'Sehr geehrte Damen und Herren, ']
const CLOSERS_DE = [' Danke!', ' Bitte beseitigen.', ' Bitte kümmern Sie sich darum.', ' Mit freundlichen Grüßen', ' Ist schon länger so.', ' LG']
const OPENERS_EN = ['Hi, ', 'Hello, ', 'Dear city, ']
const CLOSERS_EN = [' Please fix.', ' Thanks!', ' Been like this for weeks.']
const CONTACT_OPENERS_DE = ['Ich habe eine Frage: ', 'Ich habe eine Frage zu folgendem: ', 'Hallo, kurze Frage: ', 'Sehr geehrte Damen und Herren, ', 'Guten Tag, ']
const CONTACT_OPENERS_EN = ['I have a question: ', 'Hello, quick question: ', 'Dear Sir or Madam, ']

// Colloquial Ruhr German and common informal spellings.
const DIALECT: [RegExp, string[]][] = [
  [/\bnicht\b/g, ['nich', 'nit']], [/\bist\b/g, ['is']], [/\bdas\b/g, ['dat']], [/\bwas\b/g, ['wat']], [/\bjetzt\b/g, ['getz']],
  [/\bkaputt\b/gi, ['kaputtt', 'hinüber', 'kapott']], [/Laterne/g, ['Latüchte', 'Laternsche', 'Lateerne']], [/Straße/g, ['Strasse', 'Str.']],
  [/\beinen\b/g, ["'nen"]], [/\bhaben\b/g, ['ham']], [/\bein\b/g, ["'n"]], [/\bauch\b/g, ['och']], [/\bhier\b/g, ['hia']],
  [/Müll/g, ['Muell', 'Mülll']], [/Schlagl/g, ['Schlachl']], [/\bgeht\b/g, ['geht']], [/\bso\b/g, ['soo']],
]

function typo(word: string, r: () => number): string {
  if (word.length < 5) return word
  const i = 1 + Math.floor(r() * (word.length - 2))
  const kind = Math.floor(r() * 5)
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1)                       // drop
  if (kind === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2) // swap
  if (kind === 2) return word.slice(0, i) + word[i] + word.slice(i)                  // double
  if (kind === 3) return word.replace(/ä/g, 'a').replace(/ö/g, 'o').replace(/ü/g, 'u').replace(/ß/g, 's')
  return word.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
}

const pick = <T>(list: T[], r: () => number): T => list[Math.floor(r() * list.length)]!

function vary(text: string, lang: 'de' | 'en', r: () => number, contact: boolean): string {
  let out = text
  if (lang === 'de' && r() < 0.55) {
    for (const [pattern, replacements] of DIALECT) if (pattern.test(out) && r() < 0.6) out = out.replace(pattern, pick(replacements, r))
  }
  if (r() < 0.7) {
    const words = out.split(' ')
    const times = 1 + Math.floor(r() * 2)
    for (let k = 0; k < times; k++) { const i = Math.floor(r() * words.length); words[i] = typo(words[i]!, r) }
    out = words.join(' ')
  }
  if (!contact && r() < 0.65) {
    const place = lang === 'de' ? pick(PLACES, r) : pick(PLACES_EN, r)
    out = r() < 0.5 ? `${place}: ${out}` : `${out} ${lang === 'de' ? '' : ''}${place}`.replace(/\s+/g, ' ')
  }
  if (r() < 0.5) {
    const openers = contact ? (lang === 'de' ? CONTACT_OPENERS_DE : CONTACT_OPENERS_EN) : (lang === 'de' ? OPENERS_DE : OPENERS_EN)
    out = pick(openers, r) + (r() < 0.5 ? out[0]!.toLowerCase() + out.slice(1) : out)
  }
  if (r() < 0.35) out += pick(lang === 'de' ? CLOSERS_DE : CLOSERS_EN, r)
  if (r() < 0.3) out = out.toLowerCase().replace(/[.,!?:]/g, '')
  return out.trim()
}

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

type Lexicon = Record<string, [string, string[]][]>

// A term is German unless it reads as English (a rough split for the lang column only).
const looksEnglish = (t: string) => /\b(the|road|street|light|lamp|bin|dog|tree|car|bike|broken|blocked|sign|bench|park|playground|swing|slide|sandpit|fallen|hazard|drain|flooding|standing|manhole|gully|litter|waste|dumped|abandoned|graffiti|spray|fly|overgrown|diseased|climbing|seat|hole|pavement|lost|passport|identity|support|daycare|nursery|vaccination|health|permit|planning|building|payment|property|tax|roadworks|skip|income|social|shelter|adopt|recycling|bulky|noise|registration|driving|licence|housing|lines|markings|name|poo|mess|bags|fouling|tagging|wall|removal|not|on|out|off)\b/i.test(t)

function lexiconRows(lexicon: Lexicon, rows: string[]) {
  for (const [label, groups] of Object.entries(lexicon)) {
    for (const [source, terms] of groups) {
      for (const term of terms) rows.push([term, label, looksEnglish(term) ? 'en' : 'de', `${source}#lex-${label}-${term}`].map(csvField).join(','))
    }
  }
}

const GENERAL_ENQUIRY_SERVICES = ['kontaktanfrage']

/** Titles, summaries and keywords of the shipped service definitions, labelled with the service's office. */
function serviceRows(rows: string[]) {
  const dir = path.resolve(here, '../../services')
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.startsWith('_')).sort()) {
    const def = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { id: string; office: string; title: Record<string, string>; summary: Record<string, string>; keywords?: Record<string, string[]> }
    // The general enquiry is where questions go that name no office; its own words teach nothing about routing.
    if (GENERAL_ENQUIRY_SERVICES.includes(def.id)) continue
    for (const lang of ['de', 'en'] as const) {
      rows.push([def.title[lang]!, def.office, lang, `bauhaus-services:${def.id}#svc-${def.id}-title-${lang}`].map(csvField).join(','))
      rows.push([def.summary[lang]!, def.office, lang, `bauhaus-services:${def.id}#svc-${def.id}-summary-${lang}`].map(csvField).join(','))
      for (const k of def.keywords?.[lang] ?? []) rows.push([k, def.office, lang, `bauhaus-services:${def.id}#svc-${def.id}-kw-${k}`].map(csvField).join(','))
    }
  }
}

function build(bases: Record<string, Base[]>, variations: number, contact: boolean, seed: number): string {
  const rows = ['text,label,lang,source']
  if (contact) { lexiconRows(CONTACT_LEXICON, rows); serviceRows(rows) } else lexiconRows(REPORT_LEXICON, rows)
  const r = seeded(seed)
  const seen = new Set<string>()
  for (const [label, list] of Object.entries(bases)) {
    list.forEach(([text, lang, source], i) => {
      const group = `${label}-${String(i + 1).padStart(2, '0')}`
      const origin = `${source}#${group}`
      rows.push([text, label, lang, origin].map(csvField).join(','))
      seen.add(text)
      for (let v = 0, tries = 0; v < variations && tries < 50; tries++) {
        const varied = vary(text, lang, r, contact)
        if (seen.has(varied)) continue
        seen.add(varied)
        rows.push([varied, label, lang, `synthetic variation of ${origin}`].map(csvField).join(','))
        v++
      }
    })
  }
  return `${rows.join('\n')}\n`
}

fs.writeFileSync(path.join(here, 'report-starter.csv'), build(REPORT_BASES, 4, false, 20260403))
fs.writeFileSync(path.join(here, 'contact-starter.csv'), build(CONTACT_BASES, 3, true, 20260404))
process.stdout.write('wrote report-starter.csv and contact-starter.csv\n')
