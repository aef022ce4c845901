import type { FieldError } from '../../platform/views/components.js'
import type { Translate } from '../../platform/i18n/i18n.js'
import type { MandateKind, MemberRole } from '../../platform/db/schema.js'
import { MANDATE_KINDS, NAME_MAX } from './mandates.service.js'
import { MEMBER_ROLES } from './mandates.members.js'
import type { NewMandateValues } from './views/mandates.js'

export const EMAIL_MAX = 254
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** A calendar date in YYYY-MM-DD that exists (no 31 February). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  return date.toISOString().slice(0, 10) === value
}

export function isEmail(value: string): boolean {
  return value.length <= EMAIL_MAX && EMAIL_PATTERN.test(value)
}

/** What is wrong with a mandate request's typed values, each in the person's language; the proof is checked apart. */
export function validateMandateValues(
  values: NewMandateValues,
  t: Translate,
  today: string,
  ownEmail: string,
): FieldError[] {
  const errors: FieldError[] = []
  const add = (fieldId: string, key: string, params = {}) =>
    errors.push({ fieldId, message: t.text(key, params), anchor: fieldId === 'kind' ? 'kind-parent' : undefined })
  if (!MANDATE_KINDS.includes(values.kind as MandateKind)) add('kind', 'mandates.errors.kind')
  for (const field of ['givenName', 'familyName'] as const) {
    if (!values[field]) add(field, `mandates.errors.${field}Missing`)
    else if (values[field].length > NAME_MAX) add(field, 'mandates.errors.tooLong', { max: NAME_MAX })
  }
  if (!values.birthDate) add('birthDate', 'mandates.errors.birthDateMissing')
  else if (!isCalendarDate(values.birthDate) || values.birthDate < '1900-01-01')
    add('birthDate', 'mandates.errors.birthDateInvalid')
  else if (values.birthDate > today) add('birthDate', 'mandates.errors.birthDateFuture')
  if (values.principalEmail) {
    if (!isEmail(values.principalEmail)) add('principalEmail', 'mandates.errors.email')
    else if (values.principalEmail.toLowerCase() === ownEmail.toLowerCase())
      add('principalEmail', 'mandates.errors.ownEmail')
  }
  return errors
}

export function validateInvite(values: { email: string; role: string }, t: Translate): FieldError[] {
  const errors: FieldError[] = []
  if (!values.email) errors.push({ fieldId: 'email', message: t.text('mandates.errors.emailMissing') })
  else if (!isEmail(values.email)) errors.push({ fieldId: 'email', message: t.text('mandates.errors.email') })
  if (!MEMBER_ROLES.includes(values.role as MemberRole))
    errors.push({ fieldId: 'role', message: t.text('mandates.errors.role'), anchor: 'role-clerk' })
  return errors
}
