import type { ReportCategory } from './reports.categories.js'
import type { ReportFieldError } from './reports.errors.js'

export const DESCRIPTION_MAX = 5000
export const ADDRESS_MAX = 300
export const NAME_MAX = 120
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/
const PHONE = /^\+?[0-9][0-9 /()-]{3,30}$/

export interface NewReport {
  categoryCode: string
  description: string
  lat?: number | null
  lon?: number | null
  address?: string | null
  photos: { content: Buffer; filename: string }[]
  /** The reporter agreed to keep the location data (EXIF/GPS) of their photos. */
  keepPhotoMetadata?: boolean
  contact?: { name?: string; email?: string; phone?: string }
  accountId?: string | null
  locale: 'de' | 'en'
  source: 'web' | 'open311'
  apiKeyId?: string | null
  clientIp: string
  /** A retry with the same key (and source and API key) returns the report made the first time. */
  idempotencyKey?: string
}

export interface CityBounds {
  south: number
  west: number
  north: number
  east: number
}

/** Every problem of a report's text fields and place (photos are judged as they are prepared). */
export function validateReportFields(
  input: NewReport,
  categories: ReportCategory[],
  bounds: CityBounds | undefined,
): ReportFieldError[] {
  const errors: ReportFieldError[] = []
  if (!input.categoryCode) errors.push({ field: 'categoryCode', messageKey: 'reports.errors.categoryMissing' })
  else if (!categories.some(c => c.code === input.categoryCode))
    errors.push({ field: 'categoryCode', messageKey: 'reports.errors.categoryUnknown' })
  const description = input.description.trim()
  if (!description) errors.push({ field: 'description', messageKey: 'reports.errors.descriptionMissing' })
  else if (description.length > DESCRIPTION_MAX)
    errors.push({
      field: 'description',
      messageKey: 'reports.errors.descriptionTooLong',
      params: { max: DESCRIPTION_MAX, length: description.length },
    })

  const hasLat = input.lat !== null && input.lat !== undefined
  const hasLon = input.lon !== null && input.lon !== undefined
  if (hasLat && !Number.isFinite(input.lat)) errors.push({ field: 'lat', messageKey: 'reports.errors.latInvalid' })
  if (hasLon && !Number.isFinite(input.lon)) errors.push({ field: 'lon', messageKey: 'reports.errors.lonInvalid' })
  if (hasLat !== hasLon)
    errors.push({ field: hasLat ? 'lon' : 'lat', messageKey: 'reports.errors.coordinatesIncomplete' })
  else if (hasLat && Number.isFinite(input.lat) && Number.isFinite(input.lon) && bounds) {
    const lat = input.lat!
    const lon = input.lon!
    if (lat < bounds.south || lat > bounds.north || lon < bounds.west || lon > bounds.east)
      errors.push({ field: 'lat', messageKey: 'reports.errors.outsideCity' })
  }
  const address = input.address?.trim() ?? ''
  if (address.length > ADDRESS_MAX)
    errors.push({ field: 'address', messageKey: 'reports.errors.tooLong', params: { max: ADDRESS_MAX } })
  if (!address && !hasLat && !hasLon) errors.push({ field: 'address', messageKey: 'reports.errors.placeMissing' })

  const contact = input.contact ?? {}
  if ((contact.name?.trim().length ?? 0) > NAME_MAX)
    errors.push({ field: 'contact.name', messageKey: 'reports.errors.tooLong', params: { max: NAME_MAX } })
  const email = contact.email?.trim() ?? ''
  if (email && (email.length > 254 || !EMAIL.test(email)))
    errors.push({ field: 'contact.email', messageKey: 'reports.errors.emailInvalid' })
  const phone = contact.phone?.trim() ?? ''
  if (phone && !PHONE.test(phone)) errors.push({ field: 'contact.phone', messageKey: 'reports.errors.phoneInvalid' })
  return errors
}

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value)
}
