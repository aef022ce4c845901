import type { Translate } from '../../../platform/i18n/i18n.js'

/** A probability as a whole percentage in the reader's language ("87 %", "87%"). */
export function formatPercent(probability: number, locale: 'de' | 'en'): string {
  return new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(probability)
}

/** An office as stored with the event (its name then), in the reader's language; else its id. */
function nameOf(office: unknown, officeId: unknown, t: Translate): string {
  const name = (office as { de?: unknown; en?: unknown } | null | undefined)?.[t.locale]
  return typeof name === 'string' ? name : typeof officeId === 'string' ? officeId : ''
}

interface StoredSuggestion {
  officeId?: unknown
  office?: unknown
  probability?: unknown
}

/** The model's suggestions of a `contact_routed` entry, "Ordnungsamt (41 %), …". */
export function suggestionsText(suggestions: unknown, t: Translate): string {
  if (!Array.isArray(suggestions)) return ''
  return (suggestions as StoredSuggestion[])
    .map(
      s =>
        `${nameOf(s.office, s.officeId, t)} (${formatPercent(typeof s.probability === 'number' ? s.probability : 0, t.locale)})`,
    )
    .join(', ')
}

/** The timeline sentence of a contact enquiry's routing entries (safe markup: t() escapes its parameters). */
export function describeContactEvent(
  kind: string,
  data: Record<string, unknown>,
  name: string,
  t: Translate,
): JSX.Element {
  const suggestions = Array.isArray(data.suggestions) ? (data.suggestions as StoredSuggestion[]) : []
  const terms = Array.isArray(data.terms) ? data.terms.filter((x): x is string => typeof x === 'string') : []
  switch (kind) {
    case 'contact_routed': {
      const top = suggestions[0]
      if (!top) return t('contact.event.noSuggestion')
      if (data.confident === true) {
        return t('contact.event.routed', {
          office: nameOf(top.office, top.officeId, t),
          percent: formatPercent(typeof top.probability === 'number' ? top.probability : 0, t.locale),
          terms: terms.join(', ') || '–',
        })
      }
      return t('contact.event.unsure', { suggestions: suggestionsText(suggestions, t) })
    }
    case 'contact_forwarded':
      return t('contact.event.forwarded', { name, office: nameOf(data.office, data.toOffice, t) })
    case 'contact_confirmed':
      return t('contact.event.confirmed', { name, office: nameOf(data.office, data.toOffice, t) })
    default:
      return t('cases.event.other')
  }
}
