import fs from 'node:fs'
import path from 'node:path'
import { dayInCity } from '../calendar/index.js'
import { fileURLToPath } from 'node:url'
import { escapeHtml } from '@kitajs/html'

export const locales = ['de', 'en'] as const
export type Locale = (typeof locales)[number]
/** A calendar day (YYYY-MM-DD) in a message: the translator writes it the reader's way (7. Dezember 2026, 7 December 2026). */
export interface DayParam {
  readonly day: string
}
export const dayParam = (isoDay: string): DayParam => ({ day: isoDay })
export type TranslateParams = Record<string, string | number | DayParam>
/** Looks up a key in the user's language; interpolated values are HTML-escaped, so the result is safe markup. */
/** Markup for element children: typed as JSX.Element so the XSS scanner knows it is escaped. */
export type Translate = ((key: string, params?: TranslateParams) => JSX.Element) & {
  locale: Locale
  /** The same text unescaped, for places that escape it themselves (attributes, `safe` children, mails). */
  text: (key: string, params?: TranslateParams) => string
}

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export function isLocale(value: unknown): value is Locale {
  return value === 'de' || value === 'en'
}

type Catalog = Record<Locale, Record<string, string>>

/** Every locales/{de,en}.json under src/, merged; a key defined twice is a mistake and stops the start. */
export function loadCatalog(): Catalog {
  const catalog: Catalog = { de: {}, en: {} }
  for (const dir of findLocaleDirs(srcDir)) {
    for (const locale of locales) {
      const file = path.join(dir, `${locale}.json`)
      if (!fs.existsSync(file)) continue
      const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>
      for (const [key, value] of Object.entries(entries)) {
        if (key in catalog[locale]) throw new Error(`Translation key "${key}" is defined twice (${file})`)
        catalog[locale][key] = value
      }
    }
  }
  return catalog
}

function findLocaleDirs(dir: string): string[] {
  const found: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const full = path.join(dir, entry.name)
    if (entry.name === 'locales') found.push(full)
    else found.push(...findLocaleDirs(full))
  }
  return found
}

let cached: Catalog | undefined
export function catalog(): Catalog {
  cached ??= loadCatalog()
  return cached
}

export function translator(locale: Locale): Translate {
  const entries = catalog()[locale]
  const fill = (key: string, params: TranslateParams | undefined, escapeValue: (s: string) => string) => {
    const template = entries[key]
    if (template === undefined) return key
    if (!params) return template
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = params[name]
      if (value === undefined) return `{${name}}`
      return escapeValue(typeof value === 'object' ? formatDate(value.day, locale) : String(value))
    })
  }
  const t = ((key: string, params?: TranslateParams) => fill(key, params, escapeHtml)) as Translate
  t.text = (key, params) => fill(key, params, s => s)
  t.locale = locale
  return t
}

const intlLocale = (locale: Locale) => (locale === 'de' ? 'de-DE' : 'en-GB')

// Building an Intl formatter costs far more than using it; pages format dates in every row, so each is made once.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>()
function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let found = formatters.get(key) as F | undefined
  if (!found) {
    found = make()
    formatters.set(key, found)
  }
  return found
}

export function formatDate(value: Date | string, locale: Locale): string {
  const dayOnly = typeof value === 'string' && value.length === 10
  const date = typeof value === 'string' ? new Date(dayOnly ? `${value}T00:00:00Z` : value) : value
  return formatter(
    `date:${locale}:${dayOnly}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: dayOnly ? 'UTC' : 'Europe/Berlin' }),
  ).format(date)
}

export function formatDateTime(value: Date | string, locale: Locale): string {
  return formatter(
    `datetime:${locale}`,
    () =>
      new Intl.DateTimeFormat(intlLocale(locale), {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Europe/Berlin',
      }),
  ).format(new Date(value))
}

/** Today in Germany, as YYYY-MM-DD: "today" in a form means the applicant's calendar day. */
export function todayInGermany(now = new Date()): string {
  return dayInCity(now)
}

export function formatNumber(value: number, locale: Locale): string {
  return formatter(`number:${locale}`, () => new Intl.NumberFormat(intlLocale(locale))).format(value)
}

export function formatMoney(cents: number, locale: Locale): string {
  return formatter(
    `money:${locale}`,
    () => new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: 'EUR' }),
  ).format(cents / 100)
}
