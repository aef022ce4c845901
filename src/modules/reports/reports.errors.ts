import { BadRequest, DomainError, NotFound } from '../../platform/http/errors.js'

/** Where a problem with a report lies; the web form and the Open311 API map it to their own field names. */
export type ReportField =
  | 'categoryCode'
  | 'description'
  | 'lat'
  | 'lon'
  | 'address'
  | 'photos'
  | 'contact.name'
  | 'contact.email'
  | 'contact.phone'
export interface ReportFieldError {
  field: ReportField
  messageKey: string
  params?: Record<string, string | number>
}

/** A report the reporter must correct: every problem at once, each with its field. */
export class ReportInvalid extends BadRequest {
  constructor(readonly errors: ReportFieldError[]) {
    super(errors[0]?.messageKey ?? 'reports.errors.invalid', errors[0]?.params ?? {})
  }
}

/** Too many reports from one address or account in a short time. */
export class ReportRateLimited extends DomainError {
  constructor(readonly minutes: number) {
    super(429, 'reports.errors.rateLimited', { minutes })
  }
}

export class ReportNotFound extends NotFound {
  constructor() {
    super('reports.errors.notFound')
  }
}
