import type { FastifyReply } from 'fastify'
import { XMLBuilder } from 'fast-xml-parser'

/** The two representations GeoReport v2 defines: the resource's name ends in .xml or .json. */
export type Format = 'json' | 'xml'
export const FORMATS: readonly Format[] = ['json', 'xml']
export const isFormat = (value: unknown): value is Format => value === 'json' || value === 'xml'

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
}

type Scalar = string | number | boolean | null
export type Open311Value = Scalar | Open311Value[] | { [key: string]: Open311Value }

/**
 * A list in the spec's XML is a plural element holding singular ones (Spark convention: the JSON is the same
 * tree with the wrapper turned into an array). Each list of our resources and the name of its items.
 */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
}

// XML 1.0 has no room for most control characters; a description typed with one must still give a valid document.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

function toXmlTree(name: string, value: Open311Value): unknown {
  if (value === null) return null
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return value.replace(XML_INVALID, '')
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name]
    if (!item) throw new Error(`no XML item name for list "${name}"`)
    // An empty list is an empty element, never a missing one: clients look for <services></services>.
    return value.length === 0 ? '' : { [item]: value.map(v => toXmlTree(item, v)) }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toXmlTree(k, v)]))
}

const builder = new XMLBuilder({
  format: true,
  ignoreAttributes: false,
  suppressEmptyNode: false,
  processEntities: true,
})

/** The document as the spec shows it: XML declaration with encoding, no namespace, the root element named by the resource. */
export function renderXml(root: string, value: Open311Value): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    [root]: toXmlTree(root, value),
  }) as string
}

/** Sends a resource in the asked format; `root` is its XML root element (services, service_requests, …). */
export function sendOpen311(reply: FastifyReply, format: Format, root: string, value: Open311Value, status = 200) {
  const body = format === 'xml' ? renderXml(root, value) : JSON.stringify(value)
  return reply.code(status).type(CONTENT_TYPES[format]).send(body)
}

const W3_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/
const W3_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Reads a start_date/end_date. The spec demands the w3 profile of ISO 8601 with a time zone (Z or ±hh:mm);
 * a complete date alone (also w3) means the start of that day in Germany. Anything else is undefined.
 */
export function parseW3DateTime(text: string, startOfCityDay: (day: string) => Date): Date | undefined {
  const dateOnly = W3_DATE.exec(text)
  if (dateOnly) {
    const check = new Date(`${text}T12:00:00Z`)
    return Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== text ? undefined : startOfCityDay(text)
  }
  const match = W3_DATE_TIME.exec(text)
  if (!match) return undefined
  const [, year, month, day, hour, minute, second] = match
  const parsed = new Date(text)
  if (Number.isNaN(parsed.getTime())) return undefined
  // Date() rolls 2026-02-30 over to March; a calendar date that does not exist is refused instead.
  const roll = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
  if (roll.getUTCMonth() !== Number(month) - 1 || Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)
    return undefined
  return parsed
}
