import crypto from 'node:crypto'
import type { Db, Trx } from '../../platform/db/database.js'
import type { MandateEndedBy, MandateKind } from '../../platform/db/schema.js'
import { audit, type Actor } from '../../platform/audit/audit.js'
import { storeFile } from '../../platform/files/files.js'
import { queueMail } from '../../platform/mail/mail.js'
import { translator, isLocale } from '../../platform/i18n/i18n.js'
import { accountProfileFor, findAccountContact } from '../accounts/index.js'
import { LinkForAnotherAddress, MandateAlreadyEnded, MandateNotFound, MandateNotPending } from './mandates.errors.js'
import {
  deleteFile,
  detachProof,
  endMandate,
  findMandate,
  findMandateByToken,
  findProofFile,
  insertMandate,
  lockMandate,
  setMandateDecision,
  setMandatePrincipal,
  type MandateRow,
} from './mandates.queries.js'

export const MANDATE_KINDS: readonly MandateKind[] = ['parent', 'guardian', 'authorised']
export const REASON_MAX = 1000
export const NAME_MAX = 100

/** Tokens in links are random; only their hash is stored. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex')
}

export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token)
}

function newToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

export interface MandateRequest {
  kind: MandateKind
  givenName: string
  familyName: string
  birthDate: string
  principalEmail: string | null
  proof: { filename: string; content: Buffer; mediaType: string }
}

/**
 * A person asks to act for someone: the mandate waits with its proof for the checking office. When they name the
 * principal's address, a link goes there to confirm; the agent learns nothing about whether an account has it.
 */
export async function requestMandate(
  db: Db,
  deps: { officeId: string; baseUrl: string; now: Date },
  agentAccountId: string,
  request: MandateRequest,
): Promise<string> {
  return db.transaction().execute(async trx => {
    const id = crypto.randomUUID()
    const proof = await storeFile(trx, {
      content: request.proof.content,
      filename: request.proof.filename,
      mediaType: request.proof.mediaType,
      accountId: agentAccountId,
    })
    const token = request.principalEmail ? newToken() : null
    await insertMandate(
      trx,
      {
        id,
        agentAccountId,
        kind: request.kind,
        givenName: request.givenName,
        familyName: request.familyName,
        birthDate: request.birthDate,
        principalEmail: request.principalEmail,
        principalTokenHash: token ? hashToken(token) : null,
        officeId: deps.officeId,
        proofFileId: proof.fileId,
      },
      deps.now,
    )
    await audit(trx, {
      actor: { accountId: agentAccountId },
      action: 'mandate.request',
      subjectType: 'mandate',
      subjectId: id,
      officeId: deps.officeId,
      details: { kind: request.kind, proofFileId: proof.fileId },
    })
    if (token && request.principalEmail) {
      const agent = await accountProfileFor(trx, agentAccountId)
      const t = translator(isLocale(agent.locale) ? agent.locale : 'de')
      await queueMail(trx, {
        to: request.principalEmail,
        subject: t.text('mandates.mail.confirm.subject'),
        text: t.text('mandates.mail.confirm.body', {
          agent: personName(agent),
          kind: t.text(`mandates.kind.${request.kind}`),
          link: `${deps.baseUrl}/account/mandates/confirm/${token}`,
        }),
      })
    }
    return id
  })
}

/** Addresses compare without case; an address of nobody matches nothing. */
export function sameAddress(a: string | null, b: string): boolean {
  return !!a && a.trim().toLowerCase() === b.trim().toLowerCase()
}

export function personName(p: {
  givenName: string | null
  familyName: string | null
  companyName?: string | null
  email: string
}) {
  return p.companyName || [p.givenName, p.familyName].filter(Boolean).join(' ') || p.email
}

export function principalNameOf(m: Pick<MandateRow, 'principalGivenName' | 'principalFamilyName'>): string {
  return `${m.principalGivenName} ${m.principalFamilyName}`
}

/**
 * The checking office approves or rejects a pending mandate once; the agent hears of it by mail either way. A
 * rejected proof is deleted at once: it was only there to be checked.
 */
export async function decideMandate(
  db: Db,
  staff: { id: string },
  mandateId: string,
  officeId: string,
  decision: { approve: true } | { approve: false; reason: string },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const mandate = await lockMandate(trx, mandateId)
    if (!mandate || mandate.officeId !== officeId) throw new MandateNotFound()
    if (mandate.status !== 'pending') throw new MandateNotPending()
    const reason = decision.approve ? null : decision.reason
    await setMandateDecision(trx, mandateId, {
      status: decision.approve ? 'active' : 'rejected',
      staffId: staff.id,
      reason,
      at: now,
    })
    if (!decision.approve) await dropProof(trx, mandateId)
    await audit(trx, {
      actor: { staffId: staff.id },
      action: decision.approve ? 'mandate.approve' : 'mandate.reject',
      subjectType: 'mandate',
      subjectId: mandateId,
      officeId,
    })
    await tellAgent(trx, mandate, decision.approve ? 'approved' : 'rejected', reason)
  })
}

async function tellAgent(
  trx: Trx,
  mandate: MandateRow,
  what: 'approved' | 'rejected' | 'revoked',
  reason: string | null,
) {
  if (!mandate.agentAccountId) return
  const agent = await findAccountContact(trx, mandate.agentAccountId)
  if (!agent) return
  const t = translator(isLocale(agent.locale) ? agent.locale : 'de')
  const params = { principal: principalNameOf(mandate), reason: reason ?? '' }
  await queueMail(trx, {
    to: agent.email,
    subject: t.text(`mandates.mail.${what}.subject`, params),
    text: t.text(`mandates.mail.${what}.body`, params),
  })
}

async function dropProof(trx: Trx, mandateId: string): Promise<void> {
  const fileId = await detachProof(trx, mandateId)
  if (fileId) await deleteFile(trx, fileId)
}

/**
 * Ends a mandate at once, by its agent, its principal or the office: every case made under it disappears from the
 * agent's account with the next request (the scope is read on each one). The proof is no longer needed.
 */
export async function revokeMandate(
  db: Db,
  actor: Actor,
  mandateId: string,
  may: (m: MandateRow) => MandateEndedBy | undefined,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async trx => {
    const mandate = await lockMandate(trx, mandateId)
    const by = mandate ? may(mandate) : undefined
    if (!mandate || !by) throw new MandateNotFound()
    if (mandate.status === 'revoked' || mandate.status === 'rejected') throw new MandateAlreadyEnded()
    await endMandate(trx, mandateId, by, now)
    await dropProof(trx, mandateId)
    await audit(trx, {
      actor,
      action: 'mandate.revoke',
      subjectType: 'mandate',
      subjectId: mandateId,
      officeId: mandate.officeId,
      details: { by },
    })
    if (by !== 'agent') await tellAgent(trx, mandate, 'revoked', null)
  })
}

/** Who ends a mandate, as the account asking: its agent or its principal, or nobody (answers 404). */
export function endedByAccount(accountId: string) {
  return (m: MandateRow): MandateEndedBy | undefined =>
    m.agentAccountId === accountId ? 'agent' : m.principalAccountId === accountId ? 'principal' : undefined
}

/** The mandate a confirmation link is for, while it can still be confirmed. */
export async function findMandateToConfirm(db: Db, token: unknown): Promise<MandateRow | undefined> {
  if (!isWellFormedToken(token)) return undefined
  const mandate = await findMandateByToken(db, hashToken(token))
  return mandate && (mandate.status === 'pending' || mandate.status === 'active') ? mandate : undefined
}

/**
 * The principal confirms with their own account: from then on the cases made for them show in that account, and
 * they may end the mandate themselves. The agent never sees the principal's account or profile.
 */
export async function confirmMandate(
  db: Db,
  account: { id: string; email: string },
  token: unknown,
  now: Date,
): Promise<MandateRow> {
  const accountId = account.id
  return db.transaction().execute(async trx => {
    const found = await findMandateToConfirm(trx, token)
    const mandate = found ? await lockMandate(trx, found.id) : undefined
    if (!mandate || mandate.principalAccountId || mandate.agentAccountId === accountId) throw new MandateNotFound()
    if (!sameAddress(mandate.principalEmail, account.email)) throw new LinkForAnotherAddress()
    await setMandatePrincipal(trx, mandate.id, accountId, now)
    await audit(trx, {
      actor: { accountId },
      action: 'mandate.confirm',
      subjectType: 'mandate',
      subjectId: mandate.id,
      officeId: mandate.officeId,
    })
    return mandate
  })
}

/** The proof for the checking office, its look recorded. */
export async function readProof(db: Db, staff: { id: string }, mandateId: string, officeId: string) {
  return db.transaction().execute(async trx => {
    const mandate = await findMandate(trx, mandateId)
    if (!mandate || mandate.officeId !== officeId || !mandate.proofFileId) throw new MandateNotFound()
    const file = await findProofFile(trx, mandate.proofFileId)
    if (!file) throw new MandateNotFound()
    await audit(trx, {
      actor: { staffId: staff.id },
      action: 'mandate.proof.read',
      subjectType: 'mandate',
      subjectId: mandateId,
      officeId,
      details: { fileId: file.id },
    })
    return file
  })
}
