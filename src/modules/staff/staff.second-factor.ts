import crypto from 'node:crypto'
import { generateSecret, generateURI, verify } from 'otplib'
import QRCode from 'qrcode'
import type { Db } from '../../platform/db/database.js'
import type { StaffRole } from '../../platform/db/schema.js'
import { audit } from '../../platform/audit/audit.js'
import { Conflict } from '../../platform/http/errors.js'
import {
  claimTimeStep,
  countUnusedRecoveryCodes,
  deleteRecoveryCodes,
  deleteTotp,
  findTotp,
  listPasskeys,
  replaceRecoveryCodes,
  startTotp,
  useRecoveryCode,
} from './staff.second-factor.queries.js'

/** RFC 6238: 30-second steps; a code of the step before or after still counts, for clocks that drift. */
const STEP_SECONDS = 30
const RECOVERY_CODE_COUNT = 10
/** No 0/o, 1/l/i: a code copied from paper is read right. 31 letters, 10 of them: about 50 bits. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/** Whether a person with these roles must sign in with a second factor (`STAFF_SECOND_FACTOR_ROLES`). */
export function requiresSecondFactor(requiredRoles: readonly string[], roles: readonly StaffRole[]): boolean {
  return requiredRoles.includes('all') || roles.some(role => requiredRoles.includes(role))
}

export interface SecondFactors {
  totp: boolean
  passkeys: number
  recoveryCodes: number
}

export async function secondFactorsOf(db: Db, staffId: string): Promise<SecondFactors> {
  const [totp, passkeys, recoveryCodes] = await Promise.all([
    findTotp(db, staffId),
    listPasskeys(db, staffId),
    countUnusedRecoveryCodes(db, staffId),
  ])
  return { totp: Boolean(totp?.confirmedAt), passkeys: passkeys.length, recoveryCodes }
}

export const hasSecondFactor = (factors: SecondFactors) => factors.totp || factors.passkeys > 0

export interface TotpEnrolment {
  secret: string
  /** The QR code of the otpauth URI as SVG markup, made by us from the secret: safe to embed. */
  qrSvg: JSX.Element
}

/** The secret an authenticator app is to learn: the one of an unfinished enrolment, or a new one. */
export async function beginTotpEnrolment(
  db: Db,
  staff: { id: string; email: string },
  issuer: string,
): Promise<TotpEnrolment> {
  const existing = await findTotp(db, staff.id)
  if (existing?.confirmedAt) throw new Conflict('staff.security.error.totpExists')
  let secret = existing?.secret
  if (!secret) {
    secret = generateSecret()
    await startTotp(db, staff.id, secret)
  }
  const uri = generateURI({ issuer, label: staff.email, secret })
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, width: 200 })
  return { secret, qrSvg }
}

/** Whether a code fits the secret at `now` (±1 step), and for which step. */
async function matchCode(secret: string, code: string, now: Date): Promise<number | undefined> {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return undefined
  const result = await verify({ secret, token, epoch: Math.floor(now.getTime() / 1000), epochTolerance: STEP_SECONDS })
  return result.valid && 'timeStep' in result ? result.timeStep : undefined
}

export type CodeCheck = 'accepted' | 'wrong' | 'used'

/** Checks a sign-in code of the person's confirmed app; a code whose step was already used is refused. */
export async function checkTotpCode(db: Db, staffId: string, code: string, now: Date): Promise<CodeCheck> {
  const totp = await findTotp(db, staffId)
  if (!totp?.confirmedAt) return 'wrong'
  const step = await matchCode(totp.secret, code, now)
  if (step === undefined) return 'wrong'
  // The conditional update decides, so two requests racing with the same code cannot both pass.
  return (await claimTimeStep(db, staffId, step)) ? 'accepted' : 'used'
}

/**
 * Finishes an enrolment with the app's first code. Returns the new recovery codes (shown once) when the person had
 * none yet, an empty list when they still hold some, and undefined when the code does not fit.
 */
export async function confirmTotpEnrolment(
  db: Db,
  staffId: string,
  code: string,
  now: Date,
): Promise<string[] | undefined> {
  const totp = await findTotp(db, staffId)
  if (!totp || totp.confirmedAt) return undefined
  const step = await matchCode(totp.secret, code, now)
  if (step === undefined) return undefined
  return db.transaction().execute(async trx => {
    if (!(await claimTimeStep(trx, staffId, step, now))) return undefined
    await audit(trx, { actor: { staffId }, action: 'staff.totp.enrol', subjectType: 'staff', subjectId: staffId })
    return (await countUnusedRecoveryCodes(trx, staffId)) > 0 ? [] : issueRecoveryCodes(trx, staffId)
  })
}

function newRecoveryCode(): string {
  const letters = Array.from(crypto.randomBytes(RECOVERY_CODE_COUNT), byte => RECOVERY_ALPHABET[byte % 31])
  return `${letters.slice(0, 5).join('')}-${letters.slice(5).join('')}`
}

/** Only letters and digits count, case-insensitively: "ABCDE FGHJK" is "abcde-fghjk". */
const hashRecoveryCode = (code: string) =>
  crypto
    .createHash('sha256')
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .digest('hex')

async function issueRecoveryCodes(db: Db, staffId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  await replaceRecoveryCodes(db, staffId, codes.map(hashRecoveryCode))
  return codes
}

/** Ten new codes; the old ones stop working. */
export function regenerateRecoveryCodes(db: Db, staffId: string): Promise<string[]> {
  return db.transaction().execute(async trx => {
    const codes = await issueRecoveryCodes(trx, staffId)
    await audit(trx, {
      actor: { staffId },
      action: 'staff.recovery.regenerate',
      subjectType: 'staff',
      subjectId: staffId,
    })
    return codes
  })
}

/** Spends one recovery code; each counts once. */
export function redeemRecoveryCode(db: Db, staffId: string, code: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async trx => {
    if (!(await useRecoveryCode(trx, staffId, hashRecoveryCode(code), now))) return false
    const left = await countUnusedRecoveryCodes(trx, staffId)
    await audit(trx, {
      actor: { staffId },
      action: 'staff.recovery.use',
      subjectType: 'staff',
      subjectId: staffId,
      details: { left },
    })
    return true
  })
}

/**
 * Whether a factor may go: a person whose role requires a second factor keeps at least one (they would be led to
 * set one up at the next sign-in anyway; refusing keeps them from locking themselves into that).
 */
export function assertMayRemoveFactor(required: boolean, factors: SecondFactors, removing: 'totp' | 'passkey') {
  const left = (removing === 'totp' ? 0 : Number(factors.totp)) + factors.passkeys - (removing === 'passkey' ? 1 : 0)
  if (required && left < 1) throw new Conflict('staff.security.error.lastFactor')
}

export function removeTotp(db: Db, staffId: string): Promise<void> {
  return db.transaction().execute(async trx => {
    const removed = await deleteTotp(trx, staffId)
    if (removed.numDeletedRows === 0n) return
    if ((await listPasskeys(trx, staffId)).length === 0) await deleteRecoveryCodes(trx, staffId)
    await audit(trx, { actor: { staffId }, action: 'staff.totp.remove', subjectType: 'staff', subjectId: staffId })
  })
}
