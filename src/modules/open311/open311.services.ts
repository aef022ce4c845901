import type { Locale, Translate } from '../../platform/i18n/i18n.js'
import type { ReportCategory } from '../reports/index.js'
import type { Open311Value } from './open311.format.js'

/** GeoReport v2 service definition attribute (GET services/{service_code}). */
export interface Open311Attribute {
  variable: boolean
  code: string
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist'
  required: boolean
  datatype_description: string | null
  order: number
  description: string
  values: { key: string; name: string }[]
}

/**
 * What a client must know beyond the category. Our report form asks nothing more, so attributes only inform:
 * a sensitive category (its exact place and photos are never published) says so, as a non-variable attribute
 * ("only used to present information to the user within the description field", GeoReport v2).
 */
export function attributesOf(category: ReportCategory, t: Translate): Open311Attribute[] {
  if (!category.sensitive) return []
  return [
    {
      variable: false,
      code: 'NOT_PUBLIC',
      datatype: 'string',
      required: false,
      datatype_description: null,
      order: 1,
      description: t.text('open311.attributes.notPublic'),
      values: [],
    },
  ]
}

/** One entry of GET services: every report category is a realtime service (we answer with the request id at once). */
export function serviceOf(category: ReportCategory, lang: Locale, t: Translate): Open311Value {
  return {
    service_code: category.code,
    service_name: category.name[lang],
    description: category.description[lang],
    metadata: attributesOf(category, t).length > 0,
    type: 'realtime',
    keywords: category.keywords.join(', '),
    group: category.group[lang],
  }
}

export function serviceDefinitionOf(category: ReportCategory, t: Translate): Open311Value {
  return {
    service_code: category.code,
    attributes: attributesOf(category, t).map(a => ({
      ...a,
      values: a.values.map(v => ({ key: v.key, name: v.name })),
    })),
  }
}
