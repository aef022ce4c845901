import type { FormInput } from '../../platform/http/form-input.js'
import type { Locale } from '../../platform/i18n/i18n.js'
import { startOfCityDay } from '../../platform/calendar/index.js'
import type { PublicReport, ReportCategory } from '../reports/index.js'
import { parseW3DateTime, type Open311Value } from './open311.format.js'
import { isoInCity } from '../../platform/calendar/index.js'
import { InvalidInput, problem, ServiceCodeNotFound, type Open311Problem } from './open311.errors.js'

/** GeoReport v2: "free form text limited to 4,000 characters". */
export const DESCRIPTION_MAX = 4000
const TEXT_MAX = 200
const ADDRESS_MAX = 500
/** GeoReport v2, GET Service Requests: at most 90 days and 1000 requests per answer. */
export const WINDOW_DAYS = 90
export const MAX_RESULTS = 1000
const DAY_MS = 86_400_000

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/

/** The first value of a field (a repeated field counts once), trimmed; undefined when absent or empty ("Optional Arguments"). */
export function single(values: Record<string, unknown>, name: string): string | undefined {
  const raw = values[name]
  const first = Array.isArray(raw) ? raw[0] : raw
  // Only text counts: a raw multipart part or a JSON object in its place is no value of this field.
  const value = typeof first === 'string' ? first.trim() : undefined
  return value ? value : undefined
}

/** A parameter that "can be declared multiple times, comma delimited". */
export function list(values: Record<string, unknown>, name: string): string[] {
  const raw = values[name]
  return (Array.isArray(raw) ? raw : [raw])
    .filter((v): v is string => typeof v === 'string')
    .flatMap(v => v.split(','))
    .map(v => v.trim())
    .filter(Boolean)
}

export interface Open311Submission {
  category: ReportCategory
  description: string
  lat: number | null
  lon: number | null
  address: string | null
  contact: { name?: string; email?: string; phone?: string }
  photos: { content: Buffer; filename: string }[]
}

/**
 * Reads a POST Service Request. Every problem with the fields is collected, so a client learns all of them at
 * once (the error response is an array); an unknown service_code is a missing resource (404), as the spec says.
 */
export function readSubmission(input: FormInput, categories: ReportCategory[]): Open311Submission {
  const { values } = input
  const problems: Open311Problem[] = []
  const code = single(values, 'service_code')
  if (!code) throw new InvalidInput([problem(400, 'open311.errors.serviceCodeMissing')])
  const category = categories.find(c => c.code === code)
  if (!category) throw new ServiceCodeNotFound(code)

  const latText = single(values, 'lat')
  const lonText = single(values, 'long')
  const address = single(values, 'address_string') ?? null
  const addressId = single(values, 'address_id')
  let lat: number | null = null
  let lon: number | null = null
  if (latText !== undefined || lonText !== undefined) {
    if (latText === undefined || lonText === undefined) problems.push(problem(400, 'open311.errors.latLongPair'))
    else {
      lat = NUMBER.test(latText) ? Number(latText) : NaN
      lon = NUMBER.test(lonText) ? Number(lonText) : NaN
      if (!(lat >= -90 && lat <= 90)) problems.push(problem(400, 'open311.errors.latInvalid'))
      if (!(lon >= -180 && lon <= 180)) problems.push(problem(400, 'open311.errors.longInvalid'))
    }
  } else if (!address) {
    // address_id points into a city's master address repository; Bauhaus has none to resolve it against.
    problems.push(problem(400, addressId ? 'open311.errors.addressIdUnsupported' : 'open311.errors.locationMissing'))
  }
  if (address && address.length > ADDRESS_MAX)
    problems.push(problem(400, 'open311.errors.tooLong', { field: 'address_string', max: ADDRESS_MAX }))

  const description = single(values, 'description') ?? ''
  if (description.length > DESCRIPTION_MAX)
    problems.push(problem(400, 'open311.errors.tooLong', { field: 'description', max: DESCRIPTION_MAX }))

  const contact: Open311Submission['contact'] = {}
  const name = [single(values, 'first_name'), single(values, 'last_name')].filter(Boolean).join(' ')
  if (name) contact.name = name
  const email = single(values, 'email')
  if (email) contact.email = email
  const phone = single(values, 'phone')
  if (phone) contact.phone = phone
  for (const field of ['first_name', 'last_name', 'email', 'phone'] as const) {
    if ((single(values, field) ?? '').length > TEXT_MAX)
      problems.push(problem(400, 'open311.errors.tooLong', { field, max: TEXT_MAX }))
  }

  if (problems.length) throw new InvalidInput(problems)
  const photos = input.files
    .filter(f => f.fieldName === 'media')
    .map(f => ({ content: f.content, filename: f.filename }))
  return { category, description, lat: lat ?? null, lon: lon ?? null, address, contact, photos }
}

export interface RequestFilter {
  ids?: string[]
  codes?: string[]
  status?: 'open' | 'closed'
  start?: Date
  end?: Date
  limit: number
}

/**
 * Reads GET Service Requests' filters. service_request_id overrides all others; without dates the window is the
 * most recent 90 days, one date alone spans 90 days from (or to) it, and no window may span more.
 */
export function readRequestFilter(query: Record<string, unknown>, now: Date): RequestFilter {
  const ids = list(query, 'service_request_id')
  if (ids.length > MAX_RESULTS)
    throw new InvalidInput([problem(400, 'open311.errors.tooManyIds', { max: MAX_RESULTS })])
  if (ids.length) return { ids, limit: MAX_RESULTS }

  const problems: Open311Problem[] = []
  const statuses = [...new Set(list(query, 'status'))]
  if (statuses.some(s => s !== 'open' && s !== 'closed')) problems.push(problem(400, 'open311.errors.statusInvalid'))
  const dates: Partial<Record<'start_date' | 'end_date', Date>> = {}
  for (const field of ['start_date', 'end_date'] as const) {
    const text = single(query, field)
    if (text === undefined) continue
    const parsed = parseW3DateTime(text, startOfCityDay)
    if (parsed) dates[field] = parsed
    else problems.push(problem(400, 'open311.errors.dateInvalid', { field }))
  }
  let start = dates.start_date
  let end = dates.end_date
  if (!start && !end) {
    end = now
    start = new Date(now.getTime() - WINDOW_DAYS * DAY_MS)
  } else if (!start) start = new Date(end!.getTime() - WINDOW_DAYS * DAY_MS)
  else if (!end) end = new Date(start.getTime() + WINDOW_DAYS * DAY_MS)
  if (start && end && start > end) problems.push(problem(400, 'open311.errors.dateOrder'))
  else if (start && end && end.getTime() - start.getTime() > WINDOW_DAYS * DAY_MS)
    problems.push(problem(400, 'open311.errors.dateSpan', { days: WINDOW_DAYS }))
  if (problems.length) throw new InvalidInput(problems)

  const codes = list(query, 'service_code')
  return {
    ...(codes.length ? { codes } : {}),
    ...(statuses.length === 1 ? { status: statuses[0] as 'open' | 'closed' } : {}),
    start,
    end,
    limit: MAX_RESULTS,
  }
}

/** A German postcode, as written at the end of an address ("… 44137 Dortmund"). */
const ZIPCODE = /\b(\d{5})\s+\p{L}/u

/** What turns a report into an Open311 request in the client's language. */
export interface RequestContext {
  categories: ReportCategory[]
  lang: Locale
  baseUrl: string
  /** The office's name in the language; PublicReport.agency is German. */
  agencyOf: (officeId: string) => string | undefined
  /** The workflow state's label in the language ("Erledigt", "Fixed"), the status_notes. */
  stateLabelOf: (state: string) => string | undefined
}

/**
 * A report as GeoReport v2 shows it: the public reference is the service_request_id; no reporter's name,
 * e-mail, phone or account ever (PublicReport carries none), and what the reports module withholds (a sensitive
 * report's exact place, unreviewed photos) stays withheld.
 */
export function requestOf(report: PublicReport, ctx: RequestContext): Open311Value {
  const category = ctx.categories.find(c => c.code === report.categoryCode)
  const mediaUrl = report.photoUrl ? new URL(report.photoUrl, ctx.baseUrl).toString() : null
  return {
    service_request_id: report.reference,
    status: report.status,
    status_notes: ctx.stateLabelOf(report.state) ?? report.statusNotes,
    service_name: category?.name[ctx.lang] ?? report.categoryCode,
    service_code: report.categoryCode,
    description: report.description,
    agency_responsible: ctx.agencyOf(report.officeId) ?? report.agency,
    service_notice: null,
    requested_datetime: isoInCity(report.requestedAt),
    // GeoReport v2: "For requests with status=closed, this will be the date the request was closed."
    updated_datetime: isoInCity(report.status === 'closed' && report.closedAt ? report.closedAt : report.updatedAt),
    expected_datetime: null,
    address: report.address,
    address_id: null,
    zipcode: report.address ? (ZIPCODE.exec(report.address)?.[1] ?? null) : null,
    lat: report.lat,
    long: report.lon,
    media_url: mediaUrl,
  }
}
