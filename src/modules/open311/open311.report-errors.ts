import { ReportInvalid, ReportRateLimited, type ReportField } from '../reports/index.js'
import { problem, type Open311Problem } from './open311.errors.js'

/** Where a report's problem lies, as an Open311 client named the field. */
const OPEN311_FIELDS: Record<ReportField, string> = {
  categoryCode: 'service_code',
  description: 'description',
  lat: 'lat',
  lon: 'long',
  address: 'address_string',
  photos: 'media',
  'contact.name': 'first_name/last_name',
  'contact.email': 'email',
  'contact.phone': 'phone',
}

/**
 * The reports module's refusals in the spec's error array: one entry per field problem, prefixed with the
 * Open311 field name; a rate limit keeps its 429 (with Retry-After) so a client knows to wait rather than fix.
 */
export function reportProblems(
  error: unknown,
): { status: number; problems: Open311Problem[]; retryAfterSeconds?: number } | undefined {
  if (error instanceof ReportRateLimited) {
    return {
      status: 429,
      problems: [problem(429, 'open311.errors.rateLimited')],
      retryAfterSeconds: Math.max(1, error.minutes) * 60,
    }
  }
  if (!(error instanceof ReportInvalid)) return undefined
  const problems = error.errors.map(e => ({
    ...problem(400, e.messageKey, e.params),
    field: OPEN311_FIELDS[e.field] ?? e.field,
  }))
  return { status: 400, problems: problems.length ? problems : [problem(400, error.messageKey, error.params)] }
}
