import type { FastifyRequest } from 'fastify'
import type { Locale } from '../../platform/i18n/i18n.js'

const fromTag = (tag: string): Locale | undefined => {
  const primary = tag.trim().toLowerCase().split(/[-_;]/)[0]
  return primary === 'de' || primary === 'en' ? primary : undefined
}

/**
 * Language of names, descriptions and error texts: the `locale` parameter (de, en, de_DE, en-GB, as Open311
 * clients send it), else the first German or English entry of Accept-Language, else German.
 */
export function open311Locale(req: FastifyRequest, locale: string | undefined): Locale {
  const fromParam = locale ? fromTag(locale) : undefined
  if (fromParam) return fromParam
  const header = req.headers['accept-language']
  for (const entry of (typeof header === 'string' ? header : '').split(',')) {
    const found = fromTag(entry)
    if (found) return found
  }
  return 'de'
}
