import type { TranslateParams } from '../../platform/i18n/i18n.js'

/** One entry of the spec's error array: `code` (here the HTTP status) and a description for the person using the app. */
export interface Open311Problem {
  code: number
  key: string
  params?: TranslateParams
  /** The Open311 field the problem lies in, put before the description ("lat: …") when the text does not name it. */
  field?: string
}

/**
 * Stops an Open311 request with the spec's error array. GeoReport v2, "Errors": 404 for resources that do not
 * exist, 403 for a wrong or missing api_key, 400 for any other request that cannot be fulfilled.
 */
export class Open311Error extends Error {
  constructor(
    readonly statusCode: number,
    readonly problems: Open311Problem[],
  ) {
    super(problems.map(p => p.key).join(', '))
  }
}

export const problem = (code: number, key: string, params?: TranslateParams): Open311Problem => ({ code, key, params })

export class JurisdictionNotFound extends Open311Error {
  constructor(jurisdictionId: string) {
    super(404, [problem(404, 'open311.errors.jurisdictionNotFound', { jurisdictionId })])
  }
}
export class ServiceCodeNotFound extends Open311Error {
  constructor(serviceCode: string) {
    super(404, [problem(404, 'open311.errors.serviceCodeNotFound', { serviceCode })])
  }
}
export class RequestNotFound extends Open311Error {
  constructor(id: string) {
    super(404, [problem(404, 'open311.errors.requestNotFound', { id })])
  }
}
export class FormatNotFound extends Open311Error {
  constructor(format: string) {
    super(404, [problem(404, 'open311.errors.formatNotFound', { format })])
  }
}
export class ApiKeyRefused extends Open311Error {
  constructor(reason: 'missing' | 'invalid' | 'revoked') {
    super(403, [problem(403, `open311.errors.apiKey.${reason}`)])
  }
}
export class InvalidInput extends Open311Error {
  constructor(problems: Open311Problem[]) {
    super(400, problems)
  }
}
