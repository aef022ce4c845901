import { WEEKDAYS, type ServiceDefinition, type Text } from '../catalogue/index.js'
import type { FeeNoticeLine } from '../../platform/db/schema.js'
import { isConditionMet, normalizeNumberText, type Answers } from '../forms/index.js'

export interface FeeLine {
  id: string
  label: Text
  quantity: number
  unitCents: number
  totalCents: number
}
export interface FeeReduction {
  id: string
  label: Text
  percent: number
  amountCents: number
}
export interface FeeCalculation {
  due: 'onSubmission' | 'onNotice' | null
  lines: FeeLine[]
  /** At most one: the most favourable exemption that applies (exemptions do not add up). */
  reductions: FeeReduction[]
  subtotalCents: number
  totalCents: number
}

/** Thousandths of a typed quantity ("2,5" → 2500), exactly; null for anything else or a negative value. */
export function quantityInThousandths(value: unknown): number | null {
  const text = typeof value === 'string' ? normalizeNumberText(value) : typeof value === 'number' ? String(value) : null
  const match = text ? /^(\d+)(?:\.(\d+))?$/.exec(text) : null
  if (!match) return null
  const fraction = (match[2] ?? '').padEnd(4, '0')
  // Round half up at the fourth decimal: 2.0005 m counts as 2.001 m.
  const thousandths = Number(match[1]) * 1000 + Number(fraction.slice(0, 3)) + (Number(fraction[3]) >= 5 ? 1 : 0)
  return Number.isSafeInteger(thousandths) ? thousandths : null
}

/** a × b / d rounded half up, for non-negative integers: cents stay whole, no float ever decides an amount. */
function mulDivRound(a: number, b: number, d: number): number {
  const product = BigInt(a) * BigInt(b)
  const result = (product * 2n + BigInt(d)) / (2n * BigInt(d))
  return Number(result)
}

/**
 * The fee for a set of answers, exactly as it will be charged: whole cents, integer arithmetic only.
 * A per-unit item multiplies its amount by the answer of its number field (unanswered: not charged);
 * an exemption takes the whole fee or a percentage of it, the reduction rounded half up in the applicant's favour.
 */
export function calculateFees(definition: ServiceDefinition, answers: Answers): FeeCalculation {
  return calculateWith(definition, answers, () => 1)
}

/**
 * The fee of one period of a recurring fee (a market stall's month), from `from` to `to` inclusive
 * ('YYYY-MM-DD'): an item per weekday counts the chosen weekdays in those days.
 */
export function calculatePeriodFees(
  definition: ServiceDefinition,
  answers: Answers,
  from: string,
  to: string,
): FeeCalculation {
  return calculateWith(definition, answers, item => {
    if (!item.perWeekdayOf) return 1
    const chosen = answers[item.perWeekdayOf]
    const weekdays = new Set(
      (Array.isArray(chosen) ? chosen : [chosen]).map(v => WEEKDAYS.indexOf(v as never)).filter(d => d >= 0),
    )
    return countWeekdays(from, to, weekdays)
  })
}

/** How many days from `from` to `to` inclusive fall on one of the weekdays (0 = Sunday), by the calendar alone. */
export function countWeekdays(from: string, to: string, weekdays: ReadonlySet<number>): number {
  const day = 86_400_000
  const start = Date.parse(`${from}T00:00:00Z`)
  const end = Date.parse(`${to}T00:00:00Z`)
  let count = 0
  for (let t = start; t <= end; t += day) if (weekdays.has(new Date(t).getUTCDay())) count++
  return count
}

type FeeItem = NonNullable<ServiceDefinition['fees']>['items'][number]

function calculateWith(
  definition: ServiceDefinition,
  answers: Answers,
  timesOf: (item: FeeItem) => number,
): FeeCalculation {
  const fees = definition.fees
  if (!fees) return { due: null, lines: [], reductions: [], subtotalCents: 0, totalCents: 0 }
  const lines: FeeLine[] = []
  for (const item of fees.items) {
    if (!isConditionMet(item.when, answers)) continue
    const perUnit = item.perField ? quantityInThousandths(answers[item.perField]) : 1000
    if (perUnit === null || perUnit === 0) continue
    const thousandths = perUnit * timesOf(item)
    const totalCents = mulDivRound(item.amountCents, thousandths, 1000)
    if (totalCents === 0) continue
    lines.push({
      id: item.id,
      label: item.label,
      quantity: thousandths / 1000,
      unitCents: item.amountCents,
      totalCents,
    })
  }
  const subtotalCents = lines.reduce((sum, line) => sum + line.totalCents, 0)
  let best: FeeReduction | null = null
  for (const exemption of fees.exemptions ?? []) {
    if (!isConditionMet(exemption.when, answers)) continue
    const percent = exemption.percent ?? 100
    const amountCents = mulDivRound(subtotalCents, percent, 100)
    if (!best || amountCents > best.amountCents)
      best = { id: exemption.id, label: exemption.label, percent, amountCents }
  }
  const reductions = best && best.amountCents > 0 ? [best] : []
  return {
    due: fees.due,
    lines,
    reductions,
    subtotalCents,
    totalCents: subtotalCents - (reductions[0]?.amountCents ?? 0),
  }
}

/** The fee as lines, as a notice stores and every fee table shows them: a reduction is a negative line naming its percentage. */
export function feeLinesOf(fees: FeeCalculation): FeeNoticeLine[] {
  return [
    ...fees.lines.map(l => ({
      id: l.id,
      label: l.label,
      quantity: l.quantity,
      unitCents: l.unitCents,
      totalCents: l.totalCents,
    })),
    ...fees.reductions.map(r => ({
      id: r.id,
      label: { de: `${r.label.de} (${r.percent} %)`, en: `${r.label.en} (${r.percent} %)` },
      quantity: 1,
      unitCents: -r.amountCents,
      totalCents: -r.amountCents,
    })),
  ]
}

/** Whether the applicant must pay online before the application is sent. */
export function isPaymentDueOnSubmission(fees: FeeCalculation): boolean {
  return fees.due === 'onSubmission' && fees.totalCents > 0
}

/** Cents from a typed euro amount ("12,50", "12.50", "1.234,56", "12 €"); null for anything else. Never via float. */
export function parseEuroAmount(text: string): number | null {
  const cleaned = text.replace(/\s|€|EUR/gi, '')
  const match =
    /^(\d{1,3}(?:\.\d{3})+|\d{1,7})(?:,(\d{1,2}))?$/.exec(cleaned) ?? /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(cleaned)
  if (!match) return null
  const euros = Number(match[1]!.replace(/\./g, ''))
  const cents = Number((match[2] ?? '').padEnd(2, '0'))
  return euros * 100 + cents
}
