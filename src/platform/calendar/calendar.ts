import Holidays from 'date-holidays'

/**
 * Calendar days of the city (Europe/Berlin) and its public holidays (NRW), for legal deadlines. Days are ISO
 * strings ('YYYY-MM-DD'), never instants: a deadline counts days, and a day does not move when the clocks change.
 */
export type IsoDay = string

export const CITY_TIME_ZONE = 'Europe/Berlin'
const holidays = new Holidays('DE', 'NW')
const holidayCache = new Map<number, Set<IsoDay>>()

function publicHolidays(year: number): Set<IsoDay> {
  let days = holidayCache.get(year)
  if (!days) {
    days = new Set(
      holidays
        .getHolidays(year)
        .filter(h => h.type === 'public')
        .map(h => h.date.slice(0, 10)),
    )
    holidayCache.set(year, days)
  }
  return days
}

const toUtc = (day: IsoDay) => Date.parse(`${day}T00:00:00Z`)
const fromUtc = (ms: number): IsoDay => new Date(ms).toISOString().slice(0, 10)

export function isPublicHoliday(day: IsoDay): boolean {
  return publicHolidays(Number(day.slice(0, 4))).has(day)
}

/** Monday to Friday and no public holiday in NRW. */
export function isWorkingDay(day: IsoDay): boolean {
  const weekday = new Date(toUtc(day)).getUTCDay()
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(day)
}

/** Whether text is a real calendar day written YYYY-MM-DD (what a date input sends); 2026-02-30 is not. */
export function isIsoDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(toUtc(text)) && fromUtc(toUtc(text)) === text
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return fromUtc(toUtc(day) + days * 86_400_000)
}

/** The n-th working day after `day` (the day itself never counts). */
export function addWorkingDays(day: IsoDay, n: number): IsoDay {
  let current = day
  for (let left = n; left > 0; ) {
    current = addDays(current, 1)
    if (isWorkingDay(current)) left--
  }
  return current
}

/** The same day n months later; when that month is shorter, its last day (§ 188 Abs. 3 BGB: 31 January + 1 month = 28/29 February). */
export function addMonths(day: IsoDay, n: number): IsoDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const monthIndex = m - 1 + n
  const year = y + Math.floor(monthIndex / 12)
  const month = ((monthIndex % 12) + 12) % 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return fromUtc(Date.UTC(year, month, Math.min(d, lastDay)))
}

/** A deadline that ends on a Saturday, Sunday or public holiday ends on the next working day (§ 31 Abs. 3 VwVfG, § 193 BGB). */
export function nextWorkingDayFrom(day: IsoDay): IsoDay {
  let current = day
  while (!isWorkingDay(current)) current = addDays(current, 1)
  return current
}

export interface DeadlineLength {
  value: number
  unit: 'days' | 'workingDays' | 'months'
}

/**
 * The last day of a deadline that starts with an event on `eventDay` (§ 187 Abs. 1 BGB: that day is not counted),
 * moved to the next working day when it falls on a weekend or holiday.
 */
export function deadlineEndDay(eventDay: IsoDay, length: DeadlineLength): IsoDay {
  if (length.unit === 'workingDays') return addWorkingDays(eventDay, length.value)
  const end = length.unit === 'days' ? addDays(eventDay, length.value) : addMonths(eventDay, length.value)
  return nextWorkingDayFrom(end)
}

/** The city's calendar day of an instant. */
// Formatters are made once: building one costs far more than formatting with it (each case, each inbox row).
const cityDay = new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TIME_ZONE })
const cityClock = new Intl.DateTimeFormat('en-US', {
  timeZone: CITY_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

export function dayInCity(instant: Date): IsoDay {
  return cityDay.format(instant)
}

/** Offset of the city's clock from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function cityOffsetMinutes(instant: Date): number {
  const parts: Record<string, number> = Object.fromEntries(
    cityClock
      .formatToParts(instant)
      .filter(p => p.type !== 'literal')
      .map(p => [p.type, Number(p.value)]),
  )
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
  return Math.round((asUtc - instant.getTime()) / 60_000)
}

/** The first moment of a calendar day in the city (00:00 local time): just after the end of the day before. */
export function startOfCityDay(day: IsoDay): Date {
  return new Date(endOfCityDay(addDays(day, -1)).getTime() + 1)
}

/** The last moment of a calendar day in the city (23:59:59.999 local time), whatever the clocks did that day. */
export function endOfCityDay(day: IsoDay): Date {
  const nextMidnightUtc = toUtc(addDays(day, 1))
  // Clocks change at 2 or 3 a.m., so the offset at noon of the day is the one in force at its end.
  const offset = cityOffsetMinutes(new Date(nextMidnightUtc - 12 * 3_600_000))
  return new Date(nextMidnightUtc - offset * 60_000 - 1)
}

const cityParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: CITY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
})

/**
 * ISO 8601 / W3C date-time in the city's local time with its offset, e.g. 2026-03-29T03:15:00+02:00: unambiguous
 * also in the hour that repeats in October (CSV and camt.054 exports, Open311).
 */
export function isoInCity(value: Date): string {
  const parts = Object.fromEntries(cityParts.formatToParts(value).map(p => [p.type, p.value]))
  // longOffset is "GMT+01:00", or plain "GMT" at offset zero (never in Germany, kept correct anyway).
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '')
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`
}
