import { addDays, type IsoDay } from '../../platform/calendar/index.js'
import { unitsOf, type Resource } from '../booking/index.js'

/**
 * What a booking costs before any exemption: hours × price per hour × the share of the hall booked (a third of a
 * triple hall costs a third), in whole cents, rounded half up. A room without parts counts whole.
 */
export function feeCentsOf(resource: Resource, parts: readonly string[], minutes: number): number {
  const perHour = resource.fee?.centsPerHour ?? 0
  const all = unitsOf(resource).length
  const share = resource.parts ? Math.max(parts.length, 1) : all
  // Integer arithmetic only: cents × minutes × parts / (60 × all parts), half up.
  const numerator = perHour * minutes * share
  const denominator = 60 * all
  return Math.floor((2 * numerator + denominator) / (2 * denominator))
}

/** The priority groups of the seasonal allocation, first served first (the city's rules for sports facilities). */
export const GROUP_ORDER = ['school', 'youth', 'club'] as const
export type GroupKind = (typeof GROUP_ORDER)[number]

export interface SlotApplication {
  id: string
  resourceId: string
  parts: readonly string[]
  weekday: number
  startMinute: number
  minutes: number
  groupKind: GroupKind
  /** The club's members; more members come first within a group. */
  memberCount: number
  createdAt: Date
}

const overlaps = (a: SlotApplication, b: SlotApplication) =>
  a.resourceId === b.resourceId &&
  a.weekday === b.weekday &&
  a.startMinute < b.startMinute + b.minutes &&
  b.startMinute < a.startMinute + a.minutes &&
  a.parts.some(p => b.parts.includes(p))

/** Pairs of applications that want the same part of a hall at the same time of the same weekday. */
export function conflictsOf(applications: readonly SlotApplication[]): Map<string, string[]> {
  const conflicts = new Map<string, string[]>()
  for (const a of applications)
    for (const b of applications)
      if (a.id !== b.id && overlaps(a, b)) conflicts.set(a.id, [...(conflicts.get(a.id) ?? []), b.id])
  return conflicts
}

/**
 * The computed proposal: in order of priority (school sport, youth, then clubs by members, then who applied first)
 * each application is allocated unless it overlaps one allocated before it. Staff may override it.
 */
export function proposeAllocation(applications: readonly SlotApplication[]): Set<string> {
  const ranked = [...applications].sort(
    (a, b) =>
      GROUP_ORDER.indexOf(a.groupKind) - GROUP_ORDER.indexOf(b.groupKind) ||
      b.memberCount - a.memberCount ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  )
  const allocated: SlotApplication[] = []
  for (const application of ranked)
    if (!allocated.some(other => overlaps(application, other))) allocated.push(application)
  return new Set(allocated.map(a => a.id))
}

/** The weekday of a city day, 1 = Monday … 7 = Sunday. */
export const weekdayOf = (day: IsoDay) => ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1

/** The days of a season on a weekday, without the excluded ones (school holidays, closures). */
export function seasonDays(
  season: { firstDay: IsoDay; lastDay: IsoDay; excludedDays: readonly string[] },
  weekday: number,
): IsoDay[] {
  const days: IsoDay[] = []
  const excluded = new Set(season.excludedDays)
  for (let day = season.firstDay; day <= season.lastDay; day = addDays(day, 1))
    if (weekdayOf(day) === weekday && !excluded.has(day)) days.push(day)
  return days
}

/**
 * Days typed as one per line or separated by commas, each a day ("2027-03-29") or a range ("2027-03-29 – 2027-04-10");
 * null when a piece is neither.
 */
export function parseDayList(text: string, isDay: (s: string) => boolean): IsoDay[] | null {
  const days: IsoDay[] = []
  for (const piece of text
    .split(/[\n,;]+/)
    .map(s => s.trim())
    .filter(Boolean)) {
    const [from = '', to = from] = piece.split(/\s*(?:–|\.\.|-{1,2}|bis|to)\s*(?=\d{4}-)/).map(s => s.trim())
    if (!isDay(from) || !isDay(to) || to < from) return null
    for (let day = from as IsoDay; day <= to; day = addDays(day, 1)) {
      days.push(day)
      if (days.length > 800) return null
    }
  }
  return [...new Set(days)].sort()
}
