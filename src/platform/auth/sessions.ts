import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Db, Trx } from '../db/database.js'
import type { Config } from '../config.js'
import type { Clock } from '../clock.js'
import { isLocale, translator, type Locale, type Translate } from '../i18n/i18n.js'
import { Forbidden } from '../http/errors.js'
import type { StaffRole } from '../db/schema.js'
import { announceSessionEnded } from '../live/index.js'
import type { AssuranceLevel } from './assurance.js'

export const SESSION_COOKIE = 'bauhaus_session'
export const LANGUAGE_COOKIE = 'bauhaus_lang'
/** A browser nobody signed in with keeps its token (and so its anonymous drafts) this long. */
const ANONYMOUS_COOKIE_DAYS = 7
/**
 * last_seen_at is written at most once a minute: writing it on every request would turn every page view, asset-less
 * as it is, into a database write. The idle timeout is thereby up to a minute shorter than configured, never longer.
 */
const LAST_SEEN_RESOLUTION_MS = 60_000
/**
 * An expired row is kept this long before the sweep deletes it: it can no longer do anything, but a form sent from
 * a page left open (over lunch, a meeting) is recognised as the person's and carried across signing in again.
 */
export const EXPIRED_SESSION_REMEMBERED_MS = 8 * 3600_000
const TOKEN = /^[A-Za-z0-9_-]{43}$/

export interface SessionAccount {
  id: string
  kind: 'citizen' | 'business'
  email: string
  displayName: string
  /** The eIDAS level this session was signed in with ('low' for a password). */
  assurance: AssuranceLevel
  /** The identity provider it was signed in through; null for a password. */
  identityProvider: string | null
  /** The provider's session (OIDC sid, SAML SessionIndex) it was signed in with, for the provider's logout. */
  providerSession?: string | null
}
export interface StaffMember {
  id: string
  email: string
  name: string
  roles: { officeId: string; role: StaffRole }[]
}

export interface Session {
  idHash: string
  csrfToken: string
  account: SessionAccount | null
  staff: StaffMember | null
  /** When a signed-in session ends unless it is used before (idle timeout or absolute end); absent when anonymous. */
  endsAt?: Date | null
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null
    expiredSession: ExpiredSession | null
    locale: Locale
    t: Translate
  }
}

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex')
const newToken = () => crypto.randomBytes(32).toString('base64url')
/**
 * The CSRF token derives from the cookie's token, so a browser nobody signed in with needs no row to be checked.
 * One-way: the token in a page reveals nothing of the cookie. A cross-site form knows neither.
 */
const csrfTokenOf = (token: string) => crypto.createHmac('sha256', 'bauhaus-csrf').update(token).digest('base64url')

export interface SessionLifetime {
  idleMs: number
  absoluteMs: number
}

/** How long a signed-in session of staff or of a citizen/business account lives (config, docs/security.md). */
export function sessionLifetime(config: Config, who: 'staff' | 'citizen'): SessionLifetime {
  return who === 'staff'
    ? { idleMs: config.staffSessionIdleMinutes * 60_000, absoluteMs: config.staffSessionMaxHours * 3600_000 }
    : { idleMs: config.citizenSessionIdleMinutes * 60_000, absoluteMs: config.citizenSessionMaxHours * 3600_000 }
}

/** What a page tells its expiry warning (public/session-expiry.js); null when nobody is signed in. */
/** The signed-in session a request's cookie belonged to, when it had expired. */
export interface ExpiredSession {
  idHash: string
  accountId: string | null
  staffId: string | null
}

export interface SessionTimeout {
  endsInSeconds: number
  idleSeconds: number
}

export function sessionTimeout(session: Session | null, config: Config, now: Date): SessionTimeout | null {
  if (!session?.endsAt) return null
  const lifetime = sessionLifetime(config, session.staff ? 'staff' : 'citizen')
  return {
    endsInSeconds: Math.max(0, Math.floor((session.endsAt.getTime() - now.getTime()) / 1000)),
    idleSeconds: Math.floor(lifetime.idleMs / 1000),
  }
}

const endOf = (row: { last_seen_at: Date; expires_at: Date }, lifetime: SessionLifetime) =>
  new Date(Math.min(new Date(row.expires_at).getTime(), new Date(row.last_seen_at).getTime() + lifetime.idleMs))

async function findSessionRow(db: Db, token: string) {
  return db
    .selectFrom('sessions')
    .leftJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('staff', 'staff.id', 'sessions.staff_id')
    .select([
      'sessions.id_hash',
      'sessions.account_id',
      'sessions.staff_id',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'sessions.assurance',
      'sessions.identity_provider',
      'sessions.provider_session',
      'accounts.kind',
      'accounts.email as account_email',
      'accounts.given_name',
      'accounts.family_name',
      'accounts.company_name',
      'staff.email as staff_email',
      'staff.name as staff_name',
    ])
    .where('sessions.id_hash', '=', hashToken(token))
    .executeTakeFirst()
}
type SessionRow = NonNullable<Awaited<ReturnType<typeof findSessionRow>>>

async function signedInSession(db: Db, token: string, row: SessionRow, endsAt: Date): Promise<Session> {
  let staff: StaffMember | null = null
  if (row.staff_id) {
    const roles = await db
      .selectFrom('staff_roles')
      .select(['office_id as officeId', 'role'])
      .where('staff_id', '=', row.staff_id)
      .execute()
    staff = { id: row.staff_id, email: row.staff_email ?? '', name: row.staff_name ?? '', roles }
  }
  const account: SessionAccount | null = row.account_id
    ? {
        id: row.account_id,
        kind: row.kind ?? 'citizen',
        email: row.account_email ?? '',
        displayName:
          (row.kind === 'business' && row.company_name) ||
          [row.given_name, row.family_name].filter(Boolean).join(' ') ||
          (row.account_email ?? ''),
        assurance: row.assurance,
        identityProvider: row.identity_provider,
        providerSession: row.provider_session,
      }
    : null
  return { idHash: row.id_hash, csrfToken: csrfTokenOf(token), account, staff, endsAt }
}

const anonymousSession = (token: string): Session => ({
  idHash: hashToken(token),
  csrfToken: csrfTokenOf(token),
  account: null,
  staff: null,
  endsAt: null,
})

function setSessionCookie(reply: FastifyReply, config: Config, token: string, maxAgeSeconds: number) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    maxAge: maxAgeSeconds,
  })
}

export interface SessionOptions {
  db: Db
  config: Config
  clock: Clock
}

/**
 * Every request gets its language from the language cookie (default German), so that refusals, pages and JSON
 * messages alike are translated. `req.session` stays null unless the request is in the web context (sessionsPlugin).
 */
export const requestLocalePlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('session', null)
    app.decorateRequest('expiredSession', null)
    app.decorateRequest('locale', 'de')
    app.decorateRequest('t', undefined as unknown as Translate)

    app.addHook('onRequest', async req => {
      const cookieLang = req.cookies[LANGUAGE_COOKIE]
      req.locale = isLocale(cookieLang) ? cookieLang : 'de'
      req.t = translator(req.locale)
    })
  },
  { name: 'request-locale' },
)

/**
 * Every request of the context this is registered in (the web context) gets a session; the cookie holds only a
 * random token whose hash is the key. Only signing in writes a row: a browser nobody signed in with is its token
 * alone (its drafts hang on the token's hash, its CSRF token derives from it), so crawlers, probes and first
 * visits cost no write. A signed-in session ends after its idle timeout or at its absolute end, whichever is first
 * (docs/security.md, "Sessions").
 */
export const sessionsPlugin = fp(
  async (app: FastifyInstance, { db, config, clock }: SessionOptions) => {
    app.live?.watchSessions(
      idHash => sessionEndsAt(db, config, idHash, clock.now()),
      () => clock.now(),
    )

    app.addHook('onRequest', async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE]
      req.expiredSession = null
      if (!token || !TOKEN.test(token)) {
        const fresh = newToken()
        setSessionCookie(reply, config, fresh, ANONYMOUS_COOKIE_DAYS * 86_400)
        req.session = anonymousSession(fresh)
        return
      }
      const row = await findSessionRow(db, token)
      if (!row || (!row.account_id && !row.staff_id)) {
        req.session = anonymousSession(token)
        return
      }
      const now = clock.now()
      const lifetime = sessionLifetime(config, row.staff_id ? 'staff' : 'citizen')
      let endsAt = endOf(row, lifetime)
      if (endsAt <= now) {
        // The browser keeps its token, so pages open in other tabs keep a valid CSRF token for signing in again.
        req.expiredSession = { idHash: row.id_hash, accountId: row.account_id, staffId: row.staff_id }
        req.session = anonymousSession(token)
        return
      }
      if (now.getTime() - new Date(row.last_seen_at).getTime() >= LAST_SEEN_RESOLUTION_MS) {
        await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute()
        endsAt = endOf({ expires_at: row.expires_at, last_seen_at: now }, lifetime)
      }
      req.session = await signedInSession(db, token, row, endsAt)
    })

    // Cross-site posts are refused twice over: the browser's Origin header and a per-session token.
    app.addHook('preHandler', async req => {
      if (req.method !== 'POST') return
      const origin = req.headers.origin
      if (origin && origin !== 'null' && new URL(origin).host !== req.headers.host)
        throw new Forbidden('errors.crossSite')
      const body = req.body as Record<string, unknown> | undefined
      const sent = body && typeof body === 'object' ? fieldValue(body._csrf) : undefined
      const expected = req.session?.csrfToken
      if (
        !expected ||
        typeof sent !== 'string' ||
        sent.length !== expected.length ||
        !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected))
      ) {
        throw new Forbidden('errors.csrf')
      }
    })
  },
  { name: 'sessions', dependencies: ['request-locale'] },
)

/** Multipart fields arrive as { value }; url-encoded ones as strings. */
function fieldValue(value: unknown): unknown {
  if (value && typeof value === 'object' && 'value' in value) return (value as { value: unknown }).value
  return value
}

/**
 * Replaces the session at login with a fresh one (new token, new CSRF token, against session fixation), moving
 * anonymous drafts and forms kept from an expired session along so nothing typed is lost.
 */
export async function loginSession(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  who: {
    accountId?: string
    staffId?: string
    /** How sure the sign-in is of the person (a provider's level); 'low' when left out (a password). */
    assurance?: AssuranceLevel
    /** A provider sign-in: the provider and its session id (OIDC sid, SAML SessionIndex), for its logout. */
    identityProvider?: string
    providerSession?: string
  },
) {
  const now = req.server.clock.now()
  const token = newToken()
  const idHash = hashToken(token)
  const lifetime = sessionLifetime(config, who.staffId ? 'staff' : 'citizen')
  await db
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      account_id: who.accountId ?? null,
      staff_id: who.staffId ?? null,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + lifetime.absoluteMs),
      assurance: who.assurance ?? 'low',
      identity_provider: who.identityProvider ?? null,
      provider_session: who.providerSession ?? null,
    })
    .execute()
  // The cookie outlives the session a little, so that a form sent after expiry is recognised (session-resume.ts).
  setSessionCookie(reply, config, token, Math.ceil((lifetime.absoluteMs + EXPIRED_SESSION_REMEMBERED_MS) / 1000))
  const old = req.session
  if (!old) return
  if (who.accountId) {
    await db
      .updateTable('drafts')
      .set({ session_hash: idHash, account_id: who.accountId })
      .where('session_hash', '=', old.idHash)
      .where('account_id', 'is', null)
      .where('filed_by_staff_id', 'is', null)
      .execute()
  }
  await db.updateTable('session_resumes').set({ browser_hash: idHash }).where('browser_hash', '=', old.idHash).execute()
  await endSessionRow(db, old.idHash)
}

/** When the signed-in session with this hash ends, as of now; null when it has ended or is gone. */
async function sessionEndsAt(db: Db, config: Config, idHash: string, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('sessions')
    .select(['staff_id', 'account_id', 'expires_at', 'last_seen_at'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst()
  if (!row || (!row.staff_id && !row.account_id)) return null
  const endsAt = endOf(row, sessionLifetime(config, row.staff_id ? 'staff' : 'citizen'))
  return endsAt > now ? endsAt : null
}

/** Keeps a signed-in session alive without doing anything else (the expiry warning's "stay signed in"). */
export async function refreshSession(db: Db, req: FastifyRequest): Promise<boolean> {
  const session = req.session
  if (!session?.account && !session?.staff) return false
  await db
    .updateTable('sessions')
    .set({ last_seen_at: req.server.clock.now() })
    .where('id_hash', '=', session.idHash)
    .execute()
  return true
}

export async function endSession(db: Db, req: FastifyRequest, reply: FastifyReply) {
  if (req.session) await endSessionRow(db, req.session.idHash)
  reply.clearCookie(SESSION_COOKIE, { path: '/' })
}

/** Deletes the row and tells every app instance to close the session's event streams. */
async function endSessionRow(db: Db, idHash: string) {
  const ended = await db.deleteFrom('sessions').where('id_hash', '=', idHash).returning('id_hash').execute()
  if (ended.length) await announceSessionEnded(db, idHash)
}

export const SWEEP_SESSIONS_JOB = 'sessions.sweep'

/**
 * Deletes sessions that ended more than EXPIRED_SESSION_REMEMBERED_MS ago (idle or absolute) and forms kept from
 * expired sessions that nobody came back for. Returns how many sessions went.
 */
export async function sweepExpiredSessions(db: Db, config: Config, now: Date): Promise<number> {
  const before = (ms: number) => new Date(now.getTime() - EXPIRED_SESSION_REMEMBERED_MS - ms)
  const staff = sessionLifetime(config, 'staff')
  const citizen = sessionLifetime(config, 'citizen')
  const swept = await db
    .deleteFrom('sessions')
    .where(eb =>
      eb.or([
        eb('expires_at', '<', before(0)),
        eb.and([eb('staff_id', 'is not', null), eb('last_seen_at', '<', before(staff.idleMs))]),
        eb.and([eb('staff_id', 'is', null), eb('last_seen_at', '<', before(citizen.idleMs))]),
      ]),
    )
    .returning('id_hash')
    .execute()
  await db.deleteFrom('session_resumes').where('expires_at', '<', now).execute()
  return swept.length
}

export function setLanguageCookie(reply: FastifyReply, config: Config, locale: Locale) {
  reply.setCookie(LANGUAGE_COOKIE, locale, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    maxAge: 365 * 86_400,
  })
}

/** Erasure of an account: every session of it ends, this one included. */
export async function endAccountSessions(trx: Trx, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * A provider's logout (OIDC back-channel, SAML LogoutRequest): ends the sessions signed in through that provider with
 * its session id, or, with an account, every session of that account signed in through it. Returns how many ended.
 */
export async function endProviderSessions(
  db: Db,
  providerId: string,
  which: { providerSession: string } | { accountIds: string[] },
): Promise<number> {
  if ('accountIds' in which && !which.accountIds.length) return 0
  let query = db.deleteFrom('sessions').where('identity_provider', '=', providerId)
  query =
    'providerSession' in which
      ? query.where('provider_session', '=', which.providerSession)
      : query.where('account_id', 'in', which.accountIds)
  const ended = await query.returning('id_hash').execute()
  for (const { id_hash } of ended) await announceSessionEnded(db, id_hash)
  return ended.length
}
