import { CaseChanged, CaseVersionMissing } from './cases.errors.js'

/** The version a form was rendered from, as posted; anything but a positive whole number is no version. */
export function parseVersion(value: string | string[] | undefined): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim() ?? ''
  if (!/^[1-9][0-9]{0,9}$/.test(raw)) return undefined
  const n = Number(raw)
  return n <= 2_147_483_647 ? n : undefined
}

/**
 * Versioned write: the case (locked by the caller) must still be at the version the person saw. Checked after
 * the access check, so an outsider learns nothing from the answer.
 */
export function assertCaseVersion(locked: { version: number }, expected: number | undefined): void {
  if (expected === undefined) throw new CaseVersionMissing()
  if (expected !== locked.version) throw new CaseChanged(expected, locked.version)
}
