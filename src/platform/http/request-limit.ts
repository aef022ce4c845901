import crypto from 'node:crypto'
import net from 'node:net'
import { sql } from 'kysely'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Db } from '../db/database.js'
import type { Config } from '../config.js'
import type { Clock } from '../clock.js'
import { SESSION_COOKIE } from '../auth/sessions.js'
import { DomainError } from './errors.js'

const WINDOW_MS = 60_000
const FLUSH_EVERY_MS = 1_000
/** Clients tracked per window and instance; beyond it new clients pass uncounted (memory stays bounded). */
export const MAX_TRACKED_CLIENTS = 50_000
/** Sessions known to belong to a signed-in person, so their requests count per person, not per address. */
const MAX_KNOWN_SESSIONS = 20_000
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/

/** Too many requests from one client: answered like every refusal, with how long to wait. */
export class TooManyRequests extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'errors.tooManyRequests', { seconds: retryAfterSeconds })
  }
}

interface Count {
  /** The total of all instances as of this instance's last flush of the client. */
  shared: number
  /** Counted here, being written by the running flush. */
  flushing: number
  /** Counted here since, not yet written. */
  pending: number
}

export interface RequestLimiter {
  /** Writes this instance's counts now and reads back the shared totals (tests; otherwise every second). */
  flush(): Promise<void>
  /** onRequest hook: counts the request for its client, refuses it with 429 when over the limit. */
  count(req: FastifyRequest, reply: FastifyReply): Promise<void>
  /** onResponse hook: once a session is signed in, its requests count per person. */
  learnSession(req: FastifyRequest): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    requestLimiter: RequestLimiter | null
  }
}

/** Address ranges (CIDR, validated by loadConfig: REQUEST_LIMIT_EXEMPT, METRICS_ALLOWED_ADDRESSES). */
export function exemptList(cidrs: readonly string[]): net.BlockList {
  const list = new net.BlockList()
  for (const cidr of cidrs) {
    const [address = '', prefix] = cidr.split('/')
    const type = net.isIPv4(address) ? 'ipv4' : 'ipv6'
    list.addSubnet(address, prefix === undefined ? (type === 'ipv4' ? 32 : 128) : Number(prefix), type)
  }
  return list
}

const hashKey = (key: string) => crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex')

/**
 * The general request limit: at most config.requestLimitPerMinute requests per client and minute, across all
 * instances. A signed-in person is one client (wherever they sit: a whole office behind the city's proxy is not
 * throttled together); anyone else is their address. Counting happens in memory; about once a second each instance
 * adds its counts to request_counts in one statement and reads back the totals of all instances for those clients.
 * A request is refused when that shared total plus what was counted here since exceeds the limit.
 */
export const requestLimitPlugin = fp(
  async (app: FastifyInstance, { db, config, clock }: { db: Db; config: Config; clock: Clock }) => {
    const limit = config.requestLimitPerMinute
    if (!limit) {
      app.decorate('requestLimiter', null)
      return
    }
    const exempt = exemptList(config.requestLimitExempt)
    const anyExempt = config.requestLimitExempt.length > 0

    let windowStart = 0
    let counts = new Map<string, Count>()
    let overflowLogged = false
    // token hash → "account:…"/"staff:…" ('' for a session known not to be signed in); insertion order is age.
    const knownSessions = new Map<string, string>()
    const remember = (tokenHash: string, person: string) => {
      knownSessions.delete(tokenHash)
      knownSessions.set(tokenHash, person)
      if (knownSessions.size > MAX_KNOWN_SESSIONS) knownSessions.delete(knownSessions.keys().next().value!)
    }

    const currentWindow = (now: number) => {
      const start = now - (now % WINDOW_MS)
      if (start !== windowStart) {
        windowStart = start
        counts = new Map()
        overflowLogged = false
      }
      return start
    }
    const total = (c: Count | undefined) => (c ? c.shared + c.flushing + c.pending : 0)

    /** Counts the request for the client and says whether it is still within the limit. */
    const admit = (key: string, now: number): boolean => {
      currentWindow(now)
      let count = counts.get(key)
      if (!count) {
        if (counts.size >= MAX_TRACKED_CLIENTS) {
          if (!overflowLogged)
            app.log.warn(
              { tracked: counts.size },
              'request limit: too many clients this minute; further new ones pass uncounted',
            )
          overflowLogged = true
          return true
        }
        count = { shared: 0, flushing: 0, pending: 0 }
        counts.set(key, count)
      }
      // Refused requests are not counted: the client is over the limit for the rest of the window anyway.
      if (total(count) >= limit) return false
      count.pending++
      return true
    }

    const refuse = (reply: FastifyReply, now: number): never => {
      const seconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000))
      reply.header('retry-after', String(seconds))
      throw new TooManyRequests(seconds)
    }

    const count = async (req: FastifyRequest, reply: FastifyReply) => {
      const address = req.ip.startsWith('::ffff:') ? req.ip.slice(7) : req.ip
      if (anyExempt && exempt.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4')) return
      const now = clock.now().getTime()
      const token = req.cookies[SESSION_COOKIE]
      const tokenHash = token && SESSION_TOKEN.test(token) ? hashToken(token) : undefined
      const person = tokenHash ? knownSessions.get(tokenHash) : undefined
      if (person) {
        if (!admit(person, now)) refuse(reply, now)
        return
      }
      const addressKey = `ip:${address}`
      currentWindow(now)
      if (tokenHash && person === undefined && total(counts.get(addressKey)) >= limit) {
        // The address is used up, but this may be a signed-in person behind the same proxy whose session this
        // instance has not seen yet: one read by primary key decides (no session is created for a refused request).
        const row = await db
          .selectFrom('sessions')
          .select(['account_id', 'staff_id'])
          .where('id_hash', '=', tokenHash)
          .where('expires_at', '>', new Date(now))
          .executeTakeFirst()
          .catch(() => undefined)
        const found = row?.staff_id ? `staff:${row.staff_id}` : row?.account_id ? `account:${row.account_id}` : ''
        remember(tokenHash, found)
        if (found) {
          if (!admit(found, now)) refuse(reply, now)
          return
        }
      }
      if (!admit(addressKey, now)) refuse(reply, now)
    }

    // After the sessions hook has run: a signed-in session counts per person from its next request on.
    const learnSession = async (req: FastifyRequest) => {
      const session = req.session
      if (!session || (!session.account && !session.staff)) return
      const token = req.cookies[SESSION_COOKIE]
      if (!token || !SESSION_TOKEN.test(token)) return
      const tokenHash = hashToken(token)
      if (tokenHash !== session.idHash || knownSessions.get(tokenHash)) return
      remember(tokenHash, session.staff ? `staff:${session.staff.id}` : `account:${session.account!.id}`)
    }

    let running: Promise<void> | null = null
    let lastDeletedWindow = 0
    const flushOnce = async () => {
      const start = currentWindow(clock.now().getTime())
      const batch = counts
      const keys: string[] = []
      const hashes: string[] = []
      const deltas: number[] = []
      for (const [key, count] of batch) {
        if (!count.pending) continue
        count.flushing = count.pending
        count.pending = 0
        keys.push(key)
        hashes.push(hashKey(key))
        deltas.push(count.flushing)
      }
      try {
        if (keys.length) {
          // One statement for every client counted since the last flush; returns the totals of all instances.
          const { rows } = await sql<{ client_key: string; hits: number }>`
          insert into request_counts (window_start, client_key, hits)
          select ${start}::bigint, k, d from unnest(${hashes}::text[], ${deltas}::int[]) as t(k, d)
          on conflict (window_start, client_key) do update set hits = request_counts.hits + excluded.hits
          returning client_key, hits`.execute(db)
          const totals = new Map(rows.map(r => [r.client_key, Number(r.hits)]))
          keys.forEach((key, i) => {
            const count = batch.get(key)!
            count.shared = Math.max(count.shared, totals.get(hashes[i]!) ?? count.shared + count.flushing)
            count.flushing = 0
          })
        }
        if (lastDeletedWindow !== start) {
          await sql`delete from request_counts where window_start < ${start}::bigint`.execute(db)
          lastDeletedWindow = start
        }
      } catch (error) {
        // The database is away: keep counting here, write it all with the next flush; requests are not failed.
        for (const key of keys) {
          const count = batch.get(key)!
          count.pending += count.flushing
          count.flushing = 0
        }
        app.log.warn({ err: error }, 'request limit: writing the counts failed; counting locally meanwhile')
      }
    }
    const flush = async () => {
      while (running) await running
      running = flushOnce().finally(() => {
        running = null
      })
      await running
    }
    const timer = setInterval(() => {
      if (!running) void flush()
    }, FLUSH_EVERY_MS)
    timer.unref()
    app.decorate('requestLimiter', { flush, count, learnSession })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      if (running) await running
    })
  },
  { name: 'request-limit' },
)

/**
 * Counts the requests of the context it is registered in against the limit (the limiter itself is one per app:
 * requestLimitPlugin). Contexts whose requests do not count (probes, static files) do not register it.
 */
export const countRequestsPlugin = fp(
  async (app: FastifyInstance) => {
    const limiter = app.requestLimiter
    if (!limiter) return
    app.addHook('onRequest', limiter.count)
    app.addHook('onResponse', limiter.learnSession)
  },
  { name: 'count-requests', dependencies: ['request-limit'] },
)
