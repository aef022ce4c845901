import crypto from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Db, Trx } from '../db/database.js'
import type { Config } from '../config.js'
import { isLocale, translator, type Locale, type Translate } from '../i18n/i18n.js'
import { Forbidden } from '../http/errors.js'
import type { StaffRole } from '../db/schema.js'

export const SESSION_COOKIE = 'bauhaus_session'
export const LANGUAGE_COOKIE = 'bauhaus_lang'
const SESSION_DAYS = 7

export interface SessionAccount {
  id: string
  kind: 'citizen' | 'business'
  email: string
  displayName: string
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
}

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null
    locale: Locale
    t: Translate
  }
}

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex')
const newToken = () => crypto.randomBytes(32).toString('base64url')

async function findSession(db: Db, token: string): Promise<Session | null> {
  const row = await db
    .selectFrom('sessions')
    .leftJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('staff', 'staff.id', 'sessions.staff_id')
    .select([
      'sessions.id_hash',
      'sessions.csrf_token',
      'sessions.account_id',
      'sessions.staff_id',
      'accounts.kind',
      'accounts.email as account_email',
      'accounts.given_name',
      'accounts.family_name',
      'accounts.company_name',
      'staff.email as staff_email',
      'staff.name as staff_name',
    ])
    .where('sessions.id_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst()
  if (!row) return null
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
      }
    : null
  return { idHash: row.id_hash, csrfToken: row.csrf_token, account, staff }
}

export interface SessionOptions {
  db: Db
  config: Config
}

/**
 * Every request gets its language from the language cookie (default German), so that refusals, pages and JSON
 * messages alike are translated. `req.session` stays null unless the request is in the web context (sessionsPlugin).
 */
export const requestLocalePlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('session', null)
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
 * Every request of the context this is registered in (the web context) gets a server-side session (for drafts and
 * the CSRF token); the cookie holds only a random token whose hash is the key.
 */
export const sessionsPlugin = fp(
  async (app: FastifyInstance, { db, config }: SessionOptions) => {
    app.addHook('onRequest', async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE]
      req.session = token ? await findSession(db, token) : null
      if (!req.session) req.session = await startSession(db, reply, config, {})
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

/** Issues a fresh session (new token, new CSRF token): at first visit and at every login, against session fixation. */
export async function startSession(
  db: Db,
  reply: FastifyReply,
  config: Config,
  who: { accountId?: string; staffId?: string },
): Promise<Session> {
  const token = newToken()
  const idHash = hashToken(token)
  const csrfToken = newToken()
  await db
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      csrf_token: csrfToken,
      account_id: who.accountId ?? null,
      staff_id: who.staffId ?? null,
      expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    })
    .execute()
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    maxAge: SESSION_DAYS * 86_400,
  })
  return { idHash, csrfToken, account: null, staff: null }
}

/** Replaces the session after login, moving anonymous drafts along so nothing typed is lost. */
export async function loginSession(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  config: Config,
  who: { accountId?: string; staffId?: string },
) {
  const old = req.session
  const fresh = await startSession(db, reply, config, who)
  if (old) {
    if (who.accountId) {
      await db
        .updateTable('drafts')
        .set({ session_hash: fresh.idHash, account_id: who.accountId })
        .where('session_hash', '=', old.idHash)
        .where('account_id', 'is', null)
        .where('filed_by_staff_id', 'is', null)
        .execute()
    }
    await db.deleteFrom('sessions').where('id_hash', '=', old.idHash).execute()
  }
}

export async function endSession(db: Db, req: FastifyRequest, reply: FastifyReply) {
  if (req.session) await db.deleteFrom('sessions').where('id_hash', '=', req.session.idHash).execute()
  reply.clearCookie(SESSION_COOKIE, { path: '/' })
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
