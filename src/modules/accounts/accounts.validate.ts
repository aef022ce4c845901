import { MIN_PASSWORD_LENGTH } from '../../platform/auth/password.js'
import { findWeakness, passwordAdvice } from '../../platform/auth/password-strength.js'
import type { Locale, TranslateParams } from '../../platform/i18n/i18n.js'
import type { AccountKind } from '../../platform/db/schema.js'
import { formText } from '../../platform/http/form-input.js'
import { MAX_PASSWORD_LENGTH } from '../../platform/auth/password.js'

/** Longest value any account field takes; longer input is refused, not cut. */
export const MAX_FIELD_LENGTH = 200

/** A value the user should fix: the field, a locale key and its parameters; the route translates it. */
export interface FieldProblem {
  fieldId: string
  key: string
  params?: TranslateParams
}

export type FormValues = Record<string, string | string[]>

/** Canonical form of an e-mail address: accounts are found case-insensitively. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function checkEmail(fieldId: string, email: string): FieldProblem | undefined {
  if (!email) return { fieldId, key: 'accounts.error.emailMissing' }
  if (email.length > MAX_FIELD_LENGTH)
    return { fieldId, key: 'accounts.error.tooLong', params: { max: MAX_FIELD_LENGTH } }
  if (!EMAIL_PATTERN.test(email)) return { fieldId, key: 'accounts.error.emailInvalid' }
  return undefined
}

/**
 * A new password and its repetition. Long enough is not enough: an easily guessed one is refused with zxcvbn's
 * explanation in the user's language; `userInputs` (name, address) count as easy to guess.
 */
export function checkNewPassword(
  password: string,
  confirmation: string,
  locale: Locale,
  userInputs: string[] = [],
): FieldProblem[] {
  if (!password)
    return [{ fieldId: 'password', key: 'accounts.error.passwordMissing', params: { min: MIN_PASSWORD_LENGTH } }]
  if (password.length < MIN_PASSWORD_LENGTH)
    return [{ fieldId: 'password', key: 'accounts.error.passwordShort', params: { min: MIN_PASSWORD_LENGTH } }]
  if (password.length > MAX_PASSWORD_LENGTH)
    return [{ fieldId: 'password', key: 'accounts.error.passwordLong', params: { max: MAX_PASSWORD_LENGTH } }]
  const weakness = findWeakness(password, userInputs)
  if (weakness)
    return [
      { fieldId: 'password', key: 'accounts.error.passwordWeak', params: { advice: passwordAdvice(weakness, locale) } },
    ]
  if (password !== confirmation) return [{ fieldId: 'passwordConfirm', key: 'accounts.error.passwordMismatch' }]
  return []
}

function checkLength(fieldId: string, value: string): FieldProblem | undefined {
  return value.length > MAX_FIELD_LENGTH
    ? { fieldId, key: 'accounts.error.tooLong', params: { max: MAX_FIELD_LENGTH } }
    : undefined
}

export interface RegistrationInput {
  kind: string
  email: string
  password: string
  passwordConfirm: string
  givenName: string
  familyName: string
  companyName: string
}

export interface Registration {
  kind: AccountKind
  email: string
  password: string
  givenName: string | null
  familyName: string | null
  companyName: string | null
}

export function readRegistration(values: FormValues): RegistrationInput {
  return {
    kind: formText(values, 'kind'),
    email: formText(values, 'email'),
    password: formText(values, 'password', { trim: false }),
    passwordConfirm: formText(values, 'passwordConfirm', { trim: false }),
    givenName: formText(values, 'givenName'),
    familyName: formText(values, 'familyName'),
    companyName: formText(values, 'companyName'),
  }
}

export function validateRegistration(
  input: RegistrationInput,
  locale: Locale,
): { ok: true; value: Registration } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  const kind = input.kind === 'citizen' || input.kind === 'business' ? input.kind : undefined
  if (!kind) problems.push({ fieldId: 'kind', key: 'accounts.register.error.kind', params: {} })
  const emailProblem = checkEmail('email', input.email)
  if (emailProblem) problems.push(emailProblem)
  problems.push(
    ...checkNewPassword(input.password, input.passwordConfirm, locale, [
      input.email,
      input.givenName,
      input.familyName,
      input.companyName,
    ]),
  )
  if (kind === 'business' && !input.companyName)
    problems.push({ fieldId: 'companyName', key: 'accounts.register.error.companyMissing' })
  for (const id of ['companyName', 'givenName', 'familyName'] as const) {
    const tooLong = checkLength(id, input[id])
    if (tooLong) problems.push(tooLong)
  }
  if (problems.length || !kind) return { ok: false, problems }
  return {
    ok: true,
    value: {
      kind,
      email: normalizeEmail(input.email),
      password: input.password,
      givenName: input.givenName || null,
      familyName: input.familyName || null,
      companyName: kind === 'business' ? input.companyName : null,
    },
  }
}

export const PROFILE_FIELDS = [
  'givenName',
  'familyName',
  'birthDate',
  'companyName',
  'street',
  'houseNumber',
  'postalCode',
  'city',
  'phone',
] as const
export type ProfileField = (typeof PROFILE_FIELDS)[number]
export type ProfileInput = Record<ProfileField, string>
export type Profile = Record<ProfileField, string | null>

export function readProfile(values: FormValues): ProfileInput {
  return Object.fromEntries(PROFILE_FIELDS.map(f => [f, formText(values, f)])) as ProfileInput
}

const PHONE_PATTERN = /^\+?[0-9][0-9 ()/-]{3,29}$/

/** A calendar date in YYYY-MM-DD that exists (no 31 February). */
function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  return date.toISOString().slice(0, 10) === value
}

/** `today` is the date in Germany (YYYY-MM-DD), passed in so tests and midnight behave. */
export function validateProfile(
  input: ProfileInput,
  kind: AccountKind,
  today: string,
): { ok: true; value: Profile } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  for (const field of PROFILE_FIELDS) {
    const tooLong = checkLength(field, input[field])
    if (tooLong) problems.push(tooLong)
  }
  if (kind === 'business' && !input.companyName)
    problems.push({ fieldId: 'companyName', key: 'accounts.register.error.companyMissing' })
  if (input.birthDate) {
    if (!isCalendarDate(input.birthDate))
      problems.push({ fieldId: 'birthDate', key: 'accounts.profile.error.birthDateInvalid' })
    else if (input.birthDate > today)
      problems.push({ fieldId: 'birthDate', key: 'accounts.profile.error.birthDateFuture' })
    else if (input.birthDate < '1900-01-01')
      problems.push({ fieldId: 'birthDate', key: 'accounts.profile.error.birthDateInvalid' })
  }
  // An address is used for prefill only when complete, so a half address is pointed out.
  const addressStarted = !!(input.street || input.houseNumber || input.postalCode || input.city)
  if (addressStarted && !input.street) problems.push({ fieldId: 'street', key: 'accounts.profile.error.streetMissing' })
  if (input.postalCode && !/^\d{5}$/.test(input.postalCode))
    problems.push({ fieldId: 'postalCode', key: 'accounts.profile.error.postalCode' })
  else if (addressStarted && !input.postalCode)
    problems.push({ fieldId: 'postalCode', key: 'accounts.profile.error.postalCodeMissing' })
  if (addressStarted && !input.city) problems.push({ fieldId: 'city', key: 'accounts.profile.error.cityMissing' })
  if (input.phone && !PHONE_PATTERN.test(input.phone))
    problems.push({ fieldId: 'phone', key: 'accounts.profile.error.phone' })
  if (problems.length) {
    const order = (id: string) => PROFILE_FIELDS.indexOf(id as ProfileField)
    return { ok: false, problems: dedupe(problems).sort((a, b) => order(a.fieldId) - order(b.fieldId)) }
  }
  const value = Object.fromEntries(PROFILE_FIELDS.map(f => [f, input[f] || null])) as Profile
  if (kind !== 'business') value.companyName = null
  return { ok: true, value }
}

/** One message per field: the first found. */
function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>()
  return problems.filter(p => {
    if (seen.has(p.fieldId)) return false
    seen.add(p.fieldId)
    return true
  })
}
