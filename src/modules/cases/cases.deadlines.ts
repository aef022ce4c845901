import type { ServiceDefinition } from '../catalogue/index.js'
import { dayInCity, deadlineEndDay, endOfCityDay } from '../../platform/calendar/index.js'

/**
 * The legal processing deadline of an application submitted at `submittedAt`: the end (23:59:59 in Dortmund) of
 * its last day, counted from the day after submission, in calendar days, NRW working days or months, and moved to
 * the next working day when it ends on a weekend or public holiday (§§ 187, 188, 193 BGB via § 31 VwVfG).
 */
export function computeDueDate(submittedAt: Date, deadline: ServiceDefinition['processingDeadline']): Date {
  return endOfCityDay(deadlineEndDay(dayInCity(submittedAt), deadline))
}

/** The last day a case closed at `closedAt` is kept: a service's retention counts from the case's closure. */
export function retentionEnd(closedAt: Date, years: number): string {
  const end = new Date(closedAt)
  end.setUTCFullYear(end.getUTCFullYear() + years)
  return end.toISOString().slice(0, 10)
}
