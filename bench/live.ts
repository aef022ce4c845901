import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { startTestPlatform } from '../tests/support/test-platform.js'
import { publishLive } from '../src/platform/live/index.js'
import { intFromEnv, ms, percentile, table } from './measure.js'

const TOPIC = 'case:bench-fan-out'
const now = () => performance.timeOrigin + performance.now()

/** One browser's event stream: calls onEvent with the arrival time of every `changed` event's sentAt. */
function connect(port: number, onEvent: (latencyMs: number) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/bench/live', agent: false }, res => {
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        const arrived = now()
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (block.startsWith('event: ready')) resolve(req)
          const data = block.match(/^data: (.*)$/m)?.[1]
          if (block.startsWith('event: changed') && data)
            onEvent(arrived - (JSON.parse(data) as { data: { sentAt: number } }).data.sentAt)
        }
      })
    })
    req.on('error', reject)
  })
}

/**
 * Live-update fan-out: a change published with NOTIFY in its transaction, received by the process's one LISTEN
 * connection and written to every connected browser's event stream. Latency is from before the publishing
 * statement to the event's arrival at each client (the clients run in the same process, so their parsing counts).
 */
export async function benchLiveFanOut(): Promise<string> {
  const clients = intFromEnv('BENCH_LIVE_CLIENTS', 200)
  const events = intFromEnv('BENCH_LIVE_EVENTS', 100)
  const platform = await startTestPlatform({ seedDemoData: false })
  const { app } = platform
  const db = platform.database.db
  const requests: http.ClientRequest[] = []
  try {
    app.get('/bench/live', async (req, reply) => {
      app.live.stream(req, reply, [TOPIC])
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo

    // Baseline: the same events to one in-process subscriber, no HTTP: NOTIFY to LISTEN and back.
    const baseline: number[] = []
    const stop = app.live.subscribe(TOPIC, e => baseline.push(now() - (e.data as { sentAt: number }).sentAt))
    await publishAll(events, () => baseline.length)
    stop()

    const fanOut: number[] = []
    for (let i = 0; i < clients; i++) requests.push(await connect(port, latency => fanOut.push(latency)))
    await publishAll(events, () => fanOut.length / clients)
    baseline.sort((a, b) => a - b)
    fanOut.sort((a, b) => a - b)
    const base = percentile(baseline, 0.5)
    const row = (name: string, d: number[]) => [
      name,
      String(d.length),
      ms(percentile(d, 0.5)),
      ms(percentile(d, 0.99)),
      `${(percentile(d, 0.5) / base).toFixed(1)} ×`,
    ]
    const database = platform.database.kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL server'
    return [
      `Live-update fan-out on ${database}: ${events} changes, ${clients} connected event streams`,
      '',
      table(
        ['figure', 'deliveries', 'p50', 'p99', 'p50 vs. baseline'],
        [
          row(`change → NOTIFY → LISTEN → ${clients} server-sent-event streams over HTTP`, fanOut),
          row('baseline: change → NOTIFY → LISTEN → one in-process subscriber', baseline),
        ],
      ),
      '',
    ].join('\n')
  } finally {
    for (const r of requests) r.destroy()
    await platform.close()
  }

  /** Publishes one change at a time and waits until it has arrived everywhere (delivered() counts arrivals per client). */
  async function publishAll(count: number, delivered: () => number) {
    for (let i = 0; i < count; i++) {
      await publishLive(db, { topic: TOPIC, kind: 'changed', data: { sentAt: now(), n: i } })
      const deadline = Date.now() + 10_000
      while (delivered() < i + 1) {
        if (Date.now() > deadline) throw new Error(`change ${i} did not reach every client within 10 s`)
        await new Promise(r => setImmediate(r))
      }
    }
  }
}
