import crypto from 'node:crypto'
import { createChallenge, extractParams, verifySolution } from 'altcha-lib/v1'
import type { FastifyPluginAsync } from 'fastify'
import type { Db } from '../db/database.js'
import type { Config } from '../config.js'
import type { Clock } from '../clock.js'
import { DomainError } from './errors.js'
import { exemptList } from './request-limit.js'

/**
 * Bot protection of anonymous submissions without a third party: an ALTCHA proof-of-work challenge (SHA-256, signed
 * with our HMAC key), solved by public/altcha.js in the browser or by an API client. A solution counts once and
 * until its challenge expires. Without JavaScript nothing can be solved: such a submission still goes through,
 * counted under a stricter limit per address.
 */

/** The form field and the API header that carry the solution (base64 JSON, as ALTCHA's widgets send it). */
export const POW_FIELD = 'altcha'
export const CHALLENGE_PATH = '/altcha/challenge'
// The number to find lies below this: about 10,000 SHA-256 hashes on average, well under a second in a browser.
const MAX_NUMBER = 20_000
// Long enough for a form filled in slowly; a used solution is kept this long at most.
const EXPIRES_MS = 60 * 60_000
const WINDOW_MS = 60 * 60_000

export class ProofOfWorkRefused extends DomainError {
  constructor(reason: 'invalid' | 'expired' | 'replayed') {
    super(400, `errors.pow.${reason}`)
  }
}

/** More anonymous submissions without a solved challenge than the stricter limit allows. */
export class UnverifiedLimitReached extends DomainError {
  constructor(readonly minutes: number) {
    super(429, 'errors.pow.limit', { minutes })
  }
}

export function createPowChallenge(config: Config, clock: Clock) {
  return createChallenge({
    hmacKey: config.altchaHmacKey,
    maxnumber: MAX_NUMBER,
    expires: new Date(clock.now().getTime() + EXPIRES_MS),
  })
}

/**
 * Lets an anonymous submission through, or throws: with a solution, when it is genuine, unexpired and unused (then
 * it is used up); without one, while the address has sent fewer than config.unverifiedSubmissionsPerHour such
 * submissions this hour (addresses in REQUEST_LIMIT_EXEMPT are not counted; a limit of 0 counts nothing).
 */
export async function admitAnonymousSubmission(
  db: Db,
  config: Config,
  input: { solution: unknown; clientIp: string },
  clock: Clock,
): Promise<'verified' | 'unverified'> {
  const solution = typeof input.solution === 'string' ? input.solution.trim() : ''
  if (solution) {
    await useSolution(db, config, solution, clock.now())
    return 'verified'
  }
  if (config.unverifiedSubmissionsPerHour === 0) return 'unverified'
  if (
    config.requestLimitExempt.length &&
    exemptList(config.requestLimitExempt).check(input.clientIp, input.clientIp.includes(':') ? 'ipv6' : 'ipv4')
  )
    return 'unverified'
  const now = clock.now().getTime()
  const windowStart = new Date(now - (now % WINDOW_MS))
  const clientHash = crypto.createHash('sha256').update(`unverified:${input.clientIp}`).digest('hex').slice(0, 32)
  const row = await db
    .insertInto('unverified_submissions')
    .values({ client_hash: clientHash, window_start: windowStart, submissions: 1 })
    .onConflict(oc =>
      oc
        .columns(['client_hash', 'window_start'])
        .doUpdateSet(eb => ({ submissions: eb('unverified_submissions.submissions', '+', 1) })),
    )
    .returning('submissions')
    .executeTakeFirstOrThrow()
  if (row.submissions > config.unverifiedSubmissionsPerHour)
    throw new UnverifiedLimitReached(Math.ceil((windowStart.getTime() + WINDOW_MS - now) / 60_000))
  return 'unverified'
}

async function useSolution(db: Db, config: Config, solution: string, now: Date): Promise<void> {
  let payload: { signature?: unknown }
  try {
    payload = JSON.parse(Buffer.from(solution, 'base64').toString('utf8')) as { signature?: unknown }
  } catch {
    throw new ProofOfWorkRefused('invalid') // not base64 JSON: nothing a solver sends
  }
  if (!payload || typeof payload.signature !== 'string') throw new ProofOfWorkRefused('invalid')
  // Expiry is checked here, by the app's clock, rather than by altcha-lib's reading of the system time.
  if (!(await verifySolution(solution, config.altchaHmacKey, false))) throw new ProofOfWorkRefused('invalid')
  const expires = Number(extractParams(solution).expires)
  // Genuine but past its time: the sender can simply try again.
  if (!(expires * 1000 > now.getTime())) throw new ProofOfWorkRefused('expired')
  const used = await db
    .insertInto('pow_solutions_used')
    .values({ signature: payload.signature, expires_at: new Date(expires * 1000) })
    .onConflict(oc => oc.column('signature').doNothing())
    .returning('signature')
    .executeTakeFirst()
  if (!used) throw new ProofOfWorkRefused('replayed')
}

/** Used solutions whose challenges have expired, and past hours of the stricter limit: no longer needed. */
export async function forgetProofsOfWork(db: Db, now: Date): Promise<number> {
  const solutions = await db.deleteFrom('pow_solutions_used').where('expires_at', '<', now).executeTakeFirst()
  await db
    .deleteFrom('unverified_submissions')
    .where('window_start', '<', new Date(now.getTime() - WINDOW_MS))
    .execute()
  return Number(solutions.numDeletedRows)
}
export const FORGET_PROOFS_OF_WORK_JOB = 'platform.forgetProofsOfWork'

/** A fresh challenge for each form shown (or API submission to make); never cached. */
export const proofOfWorkRoutes: FastifyPluginAsync = async app => {
  app.get(CHALLENGE_PATH, async (_req, reply) =>
    reply.header('cache-control', 'no-store').send(await createPowChallenge(app.config, app.clock)),
  )
}
