import type { FastifyReply, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import type { DatabaseHandle, Db, Trx } from '../db/database.js'
import { DomainError } from '../http/errors.js'

/**
 * Live updates across app processes: a change publishes a small event with NOTIFY inside its own
 * transaction (so it is sent only if the change commits), every process LISTENs once and hands the
 * event to its subscribers, and browsers receive it as server-sent events.
 */
export const LIVE_CHANNEL = 'bauhaus_live'
// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; bigger content is stored and fetched by id.
const MAX_PAYLOAD_BYTES = 7900
const HEARTBEAT_MS = 20_000

export interface LiveEvent {
  /** What the event is about, e.g. `case:<id>`; subscribers choose topics. */
  topic: string
  kind: string
  data?: Record<string, unknown>
}
type Listener = (event: LiveEvent) => void

/** The platform's own topic: a session ended, or a staff member's roles changed; their streams close everywhere. */
const ACCESS_TOPIC = 'platform:access'

/** Ends the event streams of a session on every app instance (logout, expiry). */
export async function announceSessionEnded(db: Db | Trx, sessionHash: string): Promise<void> {
  await publishLive(db, { topic: ACCESS_TOPIC, kind: 'session-ended', data: { sessionHash } })
}

/** Ends a staff member's event streams on every app instance; a stream opened again checks the access anew. */
export async function announceStaffAccessChanged(db: Db | Trx, staffId: string): Promise<void> {
  await publishLive(db, { topic: ACCESS_TOPIC, kind: 'access-changed', data: { staffId } })
}

/** Tells, for a session's hash, when it ends now (it may have been used meanwhile), or null when it has ended. */
export type SessionEndCheck = (sessionHash: string) => Promise<Date | null>

interface OpenStream {
  close: () => void
  sessionHash?: string
  staffId?: string
  /** `staff:<id>` or `account:<id>`: whose streams count together against the limit. */
  userKey?: string
  endsAt?: Date
}

class TooManyStreams extends DomainError {
  constructor(limit: number) {
    super(429, 'errors.tooManyStreams', { limit })
  }
}

/** Announces a change; call it in the transaction that makes the change. */
export async function publishLive(db: Db | Trx, event: LiveEvent): Promise<void> {
  const payload = JSON.stringify(event)
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES)
    throw new Error(`live event ${event.kind} on ${event.topic} is too large for NOTIFY`)
  await sql`select pg_notify(${LIVE_CHANNEL}, ${payload})`.execute(db)
}

export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>()
  private readonly streams = new Set<OpenStream>()
  private stopListening: (() => Promise<void>) | undefined
  private sessionCheck: { endsAt: SessionEndCheck; now: () => Date } | undefined

  private constructor(private readonly streamsPerUser: number) {}

  /** `streamsPerUser`: open streams per signed-in person on this instance (LIVE_STREAMS_PER_USER). */
  static async start(
    database: Pick<DatabaseHandle, 'listen'>,
    { streamsPerUser = 5 }: { streamsPerUser?: number } = {},
  ): Promise<LiveHub> {
    const hub = new LiveHub(streamsPerUser)
    hub.stopListening = await database.listen(
      LIVE_CHANNEL,
      payload => hub.dispatch(payload),
      () => hub.resyncAll(),
    )
    return hub
  }

  subscribe(topic: string, listener: Listener): () => void {
    let set = this.listeners.get(topic)
    if (!set) this.listeners.set(topic, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(topic)
    }
  }

  get subscriberCount(): number {
    let n = 0
    for (const set of this.listeners.values()) n += set.size
    return n
  }

  /** How the hub learns whether a session a stream belongs to has ended by idleness (given by the sessions plugin). */
  watchSessions(endsAt: SessionEndCheck, now: () => Date) {
    this.sessionCheck = { endsAt, now }
  }

  /**
   * Closes the streams whose session has ended by now. A stream knows when its session would end; only then is the
   * session read again (another tab may have kept it alive), so an open stream costs one read per idle period.
   * Each stream checks itself with its heartbeat; this checks all at once.
   */
  async closeEndedStreams(): Promise<void> {
    await Promise.all([...this.streams].map(stream => this.closeIfEnded(stream)))
  }

  private async closeIfEnded(stream: OpenStream): Promise<void> {
    const check = this.sessionCheck
    if (!check || !stream.sessionHash || !stream.endsAt) return
    const now = check.now()
    if (stream.endsAt > now) return
    const endsAt = await check.endsAt(stream.sessionHash).catch(() => stream.endsAt)
    if (!endsAt || endsAt <= now) stream.close()
    else stream.endsAt = endsAt
  }

  private closeWhere(matches: (stream: OpenStream) => boolean) {
    for (const stream of [...this.streams]) if (matches(stream)) stream.close()
  }

  private dispatch(payload: string) {
    let event: LiveEvent
    try {
      event = JSON.parse(payload) as LiveEvent
    } catch {
      return
    }
    if (typeof event?.topic !== 'string' || typeof event.kind !== 'string') return
    if (event.topic === ACCESS_TOPIC) {
      const { sessionHash, staffId } = event.data ?? {}
      if (event.kind === 'session-ended' && typeof sessionHash === 'string')
        this.closeWhere(stream => stream.sessionHash === sessionHash)
      if (event.kind === 'access-changed' && typeof staffId === 'string')
        this.closeWhere(stream => stream.staffId === staffId)
      return
    }
    for (const listener of [...(this.listeners.get(event.topic) ?? [])]) listener(event)
  }

  /** After the listening connection was lost, events may be missing: everyone is told to fetch afresh. */
  private resyncAll() {
    for (const [topic, set] of this.listeners) for (const listener of [...set]) listener({ topic, kind: 'resync' })
  }

  /** How many streams are open on this instance for a signed-in person (`staff:<id>` or `account:<id>`). */
  openStreamsOf(userKey: string): number {
    let n = 0
    for (const stream of this.streams) if (stream.userKey === userKey) n++
    return n
  }

  /**
   * Answers the request with a stream of server-sent events for the topics; each event's name is its kind,
   * its data the JSON event. The stream ends when the client leaves, the app shuts down, the session ends (logout,
   * expiry) or the staff member's roles change; one more than LIVE_STREAMS_PER_USER per person is refused with 429.
   * Returns a function that sends one more event to this stream only (e.g. what the client missed before it
   * subscribed).
   */
  stream(
    req: FastifyRequest,
    reply: FastifyReply,
    topics: string[],
    opts: { onClose?: () => void } = {},
  ): (event: LiveEvent) => void {
    const session = req.session
    const userKey = session?.staff
      ? `staff:${session.staff.id}`
      : session?.account
        ? `account:${session.account.id}`
        : undefined
    if (userKey && this.openStreamsOf(userKey) >= this.streamsPerUser) throw new TooManyStreams(this.streamsPerUser)
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    })
    // The browser reconnects by itself after 3 s; "ready" tells it the subscription stands.
    res.write('retry: 3000\n\n')
    const send = (event: LiveEvent) => {
      res.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`)
    }
    const unsubscribe = topics.map(topic => this.subscribe(topic, send))
    const heartbeat = setInterval(() => {
      res.write(': keep-alive\n\n')
      void this.closeIfEnded(open)
    }, HEARTBEAT_MS)
    let closed = false
    const close = () => {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      for (const u of unsubscribe) u()
      this.streams.delete(open)
      opts.onClose?.()
      if (!res.writableEnded) res.end()
    }
    const open: OpenStream = {
      close,
      sessionHash: session?.endsAt ? session.idHash : undefined,
      staffId: session?.staff?.id,
      userKey,
      endsAt: session?.endsAt ?? undefined,
    }
    this.streams.add(open)
    req.raw.on('close', close)
    res.write(`event: ready\ndata: ${JSON.stringify({ topics })}\n\n`)
    return event => {
      if (!closed) send(event)
    }
  }

  /** Ends open streams (so a shutdown does not wait for them) and stops listening. */
  async close(): Promise<void> {
    for (const stream of [...this.streams]) stream.close()
    await this.stopListening?.()
    this.stopListening = undefined
  }
}
