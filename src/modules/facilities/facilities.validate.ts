import type { Translate } from '../../platform/i18n/i18n.js'
import { isIsoDay } from '../../platform/calendar/index.js'
import type { FieldError } from '../../platform/views/components.js'
import type { Resource } from '../booking/index.js'
import { EXEMPTIONS, type Exemption } from './facilities.service.js'
import type { ApplyValues, BookValues } from './views/facilities-pages.js'

export const PURPOSE_MAX = 500
export const STATEMENT_MAX = 1000
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/

/** "18:30" → 1110, or null. */
export function minuteOf(text: string): number | null {
  const match = CLOCK.exec(text)
  return match ? Number(match[1]) * 60 + Number(match[2]) : null
}

/** Every wrong value of the booking form, each with its own message at its field. */
export function validateBooking(hall: Resource, values: BookValues, owners: string[], t: Translate): FieldError[] {
  const errors: FieldError[] = []
  const add = (fieldId: string, key: string, params?: Record<string, string | number>) =>
    errors.push({
      fieldId,
      message: t.text(`facilities.errors.${key}`, params),
      anchor: fieldId === 'parts' ? `parts-${hall.parts?.[0]?.id}` : undefined,
    })
  if (hall.parts) {
    if (!values.parts.length) add('parts', 'partsMissing')
    else if (values.parts.some(p => !hall.parts!.some(known => known.id === p))) add('parts', 'partUnknown')
  }
  if (!values.day) add('day', 'dayMissing')
  else if (!isIsoDay(values.day)) add('day', 'dayInvalid')
  if (!values.start) add('start', 'startMissing')
  else if (minuteOf(values.start) === null) add('start', 'startInvalid')
  const minutes = Number(values.minutes)
  const { minMinutes = 60, maxMinutes = 60 } = hall.rules
  if (!/^\d{1,4}$/.test(values.minutes)) add('minutes', 'lengthInvalid')
  else if (minutes > maxMinutes) add('minutes', 'lengthTooLong', { hours: maxMinutes / 60 })
  else if (minutes < minMinutes) add('minutes', 'lengthTooShort', { hours: minMinutes / 60 })
  if (!values.purpose) add('purpose', 'purposeMissing')
  else if (values.purpose.length > PURPOSE_MAX) add('purpose', 'tooLong', { max: PURPOSE_MAX })
  if (!owners.includes(values.owner)) add('owner', 'ownerUnknown')
  if (values.exemption) {
    if (!EXEMPTIONS.includes(values.exemption as Exemption) || !hall.fee?.exemptions?.includes(values.exemption))
      add('exemption', 'exemptionUnknown')
    if (!values.statement) add('statement', 'statementMissing')
    else if (values.statement.length > STATEMENT_MAX) add('statement', 'tooLong', { max: STATEMENT_MAX })
    if (values.exemption === 'non-profit' && !values.registerNumber) add('registerNumber', 'registerMissing')
    if (values.registerNumber.length > 60) add('registerNumber', 'tooLong', { max: 60 })
  }
  return errors
}

/** Every wrong value of a seasonal application. */
export function validateApplication(
  values: ApplyValues,
  known: { seasons: string[]; clubs: string[]; halls: Resource[] },
  t: Translate,
): FieldError[] {
  const errors: FieldError[] = []
  const add = (fieldId: string, key: string, params?: Record<string, string | number>) =>
    errors.push({ fieldId, message: t.text(`facilities.errors.${key}`, params) })
  if (!known.seasons.includes(values.season)) add('season', 'seasonUnknown')
  if (!known.clubs.includes(values.club)) add('club', 'ownerUnknown')
  const hall = known.halls.find(h => h.id === values.hall)
  if (!hall) add('hall', 'hallUnknown')
  else if (hall.parts) {
    const parts = values.parts.filter(p => p.startsWith(`${hall.id}:`))
    if (!parts.length || parts.length !== values.parts.length) add('parts', 'partsOfHall')
  }
  if (!/^[1-7]$/.test(values.weekday)) add('weekday', 'weekdayInvalid')
  const start = minuteOf(values.start)
  if (!values.start) add('start', 'startMissing')
  else if (start === null) add('start', 'startInvalid')
  const minutes = Number(values.minutes)
  if (!/^\d{1,4}$/.test(values.minutes) || minutes < 30) add('minutes', 'lengthInvalid')
  else if (hall?.rules.maxMinutes && minutes > hall.rules.maxMinutes)
    add('minutes', 'lengthTooLong', { hours: hall.rules.maxMinutes / 60 })
  else if (start !== null && start + minutes > 24 * 60) add('minutes', 'lengthInvalid')
  if (!['school', 'youth', 'club'].includes(values.group)) add('group', 'groupUnknown')
  if (values.note.length > PURPOSE_MAX) add('note', 'tooLong', { max: PURPOSE_MAX })
  return errors
}
