import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import type { Db } from '../../platform/db/database.js'
import { audit } from '../../platform/audit/audit.js'
import {
  countUnusedRecoveryCodes,
  deletePasskey,
  deleteRecoveryCodes,
  findTotp,
  insertPasskey,
  listPasskeys,
  recordPasskeyUse,
  saveChallenge,
  takeChallenge,
} from './staff.second-factor.queries.js'
import { regenerateRecoveryCodes } from './staff.second-factor.js'

/** A ceremony's challenge counts for five minutes. */
const CHALLENGE_MS = 5 * 60_000

/** Who we are to the authenticator: the host of BASE_URL is the relying party, its origin the only one accepted. */
export interface RelyingParty {
  id: string
  origin: string
  name: string
}

export function relyingPartyOf(baseUrl: string, name: string): RelyingParty {
  const url = new URL(baseUrl)
  return { id: url.hostname, origin: url.origin, name }
}

const transportsOf = (text: string) => (text ? text.split(',') : undefined)

/** Options for the browser to create a passkey; the challenge is kept with the session. */
export async function passkeyRegistrationOptions(
  db: Db,
  rp: RelyingParty,
  staff: { id: string; email: string; name: string },
  sessionHash: string,
  now: Date,
) {
  const existing = await listPasskeys(db, staff.id)
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: staff.email,
    userDisplayName: staff.name,
    userID: new TextEncoder().encode(staff.id),
    attestationType: 'none',
    excludeCredentials: existing.map(p => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  })
  await saveChallenge(db, sessionHash, 'register', options.challenge, now)
  return options
}

/**
 * Verifies the browser's new passkey and keeps it. Returns new recovery codes when this is the person's first
 * factor (shown once), an empty list otherwise, undefined when the answer does not verify.
 */
export async function registerPasskey(
  db: Db,
  rp: RelyingParty,
  staffId: string,
  sessionHash: string,
  credentialJson: string,
  name: string,
  now: Date,
): Promise<string[] | undefined> {
  const challenge = await takeChallenge(db, sessionHash, 'register')
  const response = parseCredential<RegistrationResponseJSON>(credentialJson)
  if (!challenge || !response || now.getTime() - challenge.createdAt.getTime() > CHALLENGE_MS) return undefined
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    // SimpleWebAuthn throws at any mismatch (challenge, origin, signature): a wrong answer, for the page to say so.
  }).catch(() => undefined)
  if (!verification?.verified) return undefined
  const { credential } = verification.registrationInfo
  const hadFactor = Boolean((await findTotp(db, staffId))?.confirmedAt) || (await listPasskeys(db, staffId)).length > 0
  const inserted = await db.transaction().execute(async trx => {
    const row = await insertPasskey(trx, {
      credentialId: credential.id,
      staffId,
      publicKey: credential.publicKey,
      signCount: credential.counter,
      transports: (credential.transports ?? []).join(','),
      name,
    })
    if (!row) return false
    await audit(trx, {
      actor: { staffId },
      action: 'staff.passkey.add',
      subjectType: 'staff',
      subjectId: staffId,
      details: { name },
    })
    return true
  })
  if (!inserted) return undefined
  if (hadFactor && (await countUnusedRecoveryCodes(db, staffId)) > 0) return []
  return regenerateRecoveryCodes(db, staffId)
}

/** Options for the browser to sign with one of the person's passkeys; the challenge is kept with the session. */
export async function passkeyAuthenticationOptions(
  db: Db,
  rp: RelyingParty,
  staffId: string,
  sessionHash: string,
  now: Date,
) {
  const passkeys = await listPasskeys(db, staffId)
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: passkeys.map(p => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    userVerification: 'required',
  })
  await saveChallenge(db, sessionHash, 'authenticate', options.challenge, now)
  return options
}

/** Whether the browser's signature proves one of this person's passkeys, for the challenge this session was given. */
export async function verifyPasskeySignIn(
  db: Db,
  rp: RelyingParty,
  staffId: string,
  sessionHash: string,
  credentialJson: string,
  now: Date,
): Promise<boolean> {
  const challenge = await takeChallenge(db, sessionHash, 'authenticate')
  const response = parseCredential<AuthenticationResponseJSON>(credentialJson)
  if (!challenge || !response || now.getTime() - challenge.createdAt.getTime() > CHALLENGE_MS) return false
  const passkey = (await listPasskeys(db, staffId)).find(p => p.credentialId === response.id)
  if (!passkey) return false
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential: {
      id: passkey.credentialId,
      publicKey: new Uint8Array(passkey.publicKey),
      counter: Number(passkey.signCount),
      transports: transportsOf(passkey.transports),
    },
    requireUserVerification: true,
    // SimpleWebAuthn throws at any mismatch (challenge, origin, signature): a wrong answer, for the page to say so.
  }).catch(() => undefined)
  if (!verification?.verified) return false
  await recordPasskeyUse(db, passkey.credentialId, verification.authenticationInfo.newCounter, now)
  return true
}

export function removePasskey(db: Db, staffId: string, credentialId: string): Promise<void> {
  return db.transaction().execute(async trx => {
    const removed = await deletePasskey(trx, staffId, credentialId)
    if (removed.numDeletedRows === 0n) return
    const left = (await listPasskeys(trx, staffId)).length
    if (left === 0 && !(await findTotp(trx, staffId))?.confirmedAt) await deleteRecoveryCodes(trx, staffId)
    await audit(trx, { actor: { staffId }, action: 'staff.passkey.remove', subjectType: 'staff', subjectId: staffId })
  })
}

/** The browser's answer; only its outline is checked here, SimpleWebAuthn's verification checks the rest. */
function parseCredential<T>(json: string): T | undefined {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    // Not JSON is a wrong answer like any other, for the form to say so.
    if (error instanceof SyntaxError) return undefined
    throw error
  }
  const looksRight = value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string'
  return looksRight ? (value as T) : undefined
}
