import type { FastifyReply, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import type { DatabaseHandle, Db, Trx } from '../db/database.js'

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

/** Announces a change; call it in the transaction that makes the change. */
export async function publishLive(db: Db | Trx, event: LiveEvent): Promise<void> {
  const payload = JSON.stringify(event)
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES)
    throw new Error(`live event ${event.kind} on ${event.topic} is too large for NOTIFY`)
  await sql`select pg_notify(${LIVE_CHANNEL}, ${payload})`.execute(db)
}

export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>()
  private readonly streams = new Set<() => void>()
  private stopListening: (() => Promise<void>) | undefined

  static async start(database: Pick<DatabaseHandle, 'listen'>): Promise<LiveHub> {
    const hub = new LiveHub()
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

  private dispatch(payload: string) {
    let event: LiveEvent
    try {
      event = JSON.parse(payload) as LiveEvent
    } catch {
      return
    }
    if (typeof event?.topic !== 'string' || typeof event.kind !== 'string') return
    for (const listener of [...(this.listeners.get(event.topic) ?? [])]) listener(event)
  }

  /** After the listening connection was lost, events may be missing: everyone is told to fetch afresh. */
  private resyncAll() {
    for (const [topic, set] of this.listeners) for (const listener of [...set]) listener({ topic, kind: 'resync' })
  }

  /**
   * Answers the request with a stream of server-sent events for the topics; each event's name is its kind,
   * its data the JSON event. The stream ends when the client leaves or the app shuts down. Returns a function
   * that sends one more event to this stream only (e.g. what the client missed before it subscribed).
   */
  stream(
    req: FastifyRequest,
    reply: FastifyReply,
    topics: string[],
    opts: { onClose?: () => void } = {},
  ): (event: LiveEvent) => void {
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
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS)
    let closed = false
    const close = () => {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      for (const u of unsubscribe) u()
      this.streams.delete(close)
      opts.onClose?.()
      if (!res.writableEnded) res.end()
    }
    this.streams.add(close)
    req.raw.on('close', close)
    res.write(`event: ready\ndata: ${JSON.stringify({ topics })}\n\n`)
    return event => {
      if (!closed) send(event)
    }
  }

  /** Ends open streams (so a shutdown does not wait for them) and stops listening. */
  async close(): Promise<void> {
    for (const close of [...this.streams]) close()
    await this.stopListening?.()
    this.stopListening = undefined
  }
}
