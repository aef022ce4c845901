import type { ServiceDefinition } from '../catalogue/index.js'

/**
 * The legal processing deadline from the submission time. Working days skip weekends only;
 * public holidays (NRW) come with the deadline-monitoring module.
 */
export function computeDueDate(submittedAt: Date, deadline: ServiceDefinition['processingDeadline']): Date {
  const due = new Date(submittedAt)
  if (deadline.unit === 'days') due.setUTCDate(due.getUTCDate() + deadline.value)
  else if (deadline.unit === 'months') {
    const day = due.getUTCDate()
    due.setUTCDate(1)
    due.setUTCMonth(due.getUTCMonth() + deadline.value)
    // 31 January + 1 month is the last day of February, not 3 March (§ 188 Abs. 3 BGB).
    const lastDay = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate()
    due.setUTCDate(Math.min(day, lastDay))
  } else {
    let left = deadline.value
    while (left > 0) {
      due.setUTCDate(due.getUTCDate() + 1)
      const weekday = due.getUTCDay()
      if (weekday !== 0 && weekday !== 6) left--
    }
  }
  return due
}

export function retentionEnd(submittedAt: Date, years: number): string {
  const end = new Date(submittedAt)
  end.setUTCFullYear(end.getUTCFullYear() + years)
  return end.toISOString().slice(0, 10)
}
