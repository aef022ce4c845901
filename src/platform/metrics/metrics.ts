import crypto from 'node:crypto'
import net from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sql, type RawBuilder } from 'kysely'
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Db } from '../db/database.js'
import type { Clock } from '../clock.js'
import { exemptList } from '../http/request-limit.js'

/**
 * Prometheus metrics (`GET /metrics`): request durations per route of this process, and, read from the database
 * when scraped, the cases submitted, the job queue and the overdue cases of the whole platform (the same in
 * every instance).
 */
export interface Metrics {
  registry: Registry
  observeRequest(req: FastifyRequest, reply: FastifyReply): void
}

// A scrape every few seconds must not count a million cases each time.
const DATABASE_FIGURES_TTL_MS = 30_000

export function createMetrics(db: Db, opts: { openCaseFilter: () => RawBuilder<boolean>; clock: Clock }): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'bauhaus_' })
  const requestDuration = new Histogram({
    name: 'bauhaus_http_request_duration_seconds',
    help: 'HTTP request durations by route pattern, method and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })

  let cached: { at: number; jobs: { status: string; n: number }[]; overdue: number; submitted: number } | undefined
  let loading: Promise<NonNullable<typeof cached>> | undefined
  const databaseFigures = async () => {
    if (cached && opts.clock.now().getTime() - cached.at < DATABASE_FIGURES_TTL_MS) return cached
    loading ??= (async () => {
      const jobs = (
        await sql<{ status: string; n: number }>`select status, count(*)::int as n from jobs group by status`.execute(
          db,
        )
      ).rows
      const overdue =
        (
          await sql<{ n: number }>`select count(*)::int as n from cases
        where due_at < ${opts.clock.now()} and clock_stopped_at is null and ${opts.openCaseFilter()}`.execute(db)
        ).rows[0]?.n ?? 0
      // Every case draws its reference from this sequence: its value is the number of cases ever opened.
      const submitted =
        (
          await sql<{
            n: number
          }>`select case when is_called then last_value else 0 end::int as n from case_reference_seq`.execute(db)
        ).rows[0]?.n ?? 0
      cached = { at: opts.clock.now().getTime(), jobs, overdue, submitted }
      return cached
    })().finally(() => {
      loading = undefined
    })
    return loading
  }
  new Gauge({
    name: 'bauhaus_jobs',
    help: 'Background jobs by state (queued, running, done, failed).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const figures = await databaseFigures()
      this.reset()
      for (const status of ['queued', 'running', 'done', 'failed'])
        this.set({ status }, figures.jobs.find(j => j.status === status)?.n ?? 0)
    },
  })
  new Gauge({
    name: 'bauhaus_cases_submitted',
    help: 'Cases opened since the platform began (all instances; rises like a counter).',
    registers: [registry],
    async collect() {
      this.set((await databaseFigures()).submitted)
    },
  })
  new Gauge({
    name: 'bauhaus_overdue_cases',
    help: 'Open cases whose processing deadline has passed (clock running).',
    registers: [registry],
    async collect() {
      this.set((await databaseFigures()).overdue)
    },
  })

  return {
    registry,
    observeRequest(req, reply) {
      // The route pattern, not the URL: ids would make a label per case.
      const route = req.routeOptions.url ?? 'unmatched'
      requestDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
    },
  }
}

/**
 * `/metrics` is not public: with METRICS_TOKEN set it wants `Authorization: Bearer <token>`; without, only clients in
 * METRICS_ALLOWED_ADDRESSES. The address is `req.ip`: the connection's, or what a proxy of TRUST_PROXY forwarded,
 * so no client picks its own by sending a header.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, access: MetricsAccess) {
  const allowedAddresses = exemptList(access.allowedAddresses)
  const expected = Buffer.from(`Bearer ${access.token}`)
  app.get('/metrics', async (req, reply) => {
    const allowed = access.token
      ? isSameSecret(Buffer.from(req.headers.authorization ?? ''), expected)
      : access.allowedAddresses.length > 0 && isAddressIn(allowedAddresses, req.ip)
    if (!allowed) return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden\n')
    return reply
      .type(metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(await metrics.registry.metrics())
  })
}

interface MetricsAccess {
  token: string
  allowedAddresses: readonly string[]
}

const isSameSecret = (given: Buffer, expected: Buffer) =>
  given.length === expected.length && crypto.timingSafeEqual(given, expected)

function isAddressIn(list: net.BlockList, address: string): boolean {
  // A dual-stack socket reports IPv4 clients as ::ffff:192.0.2.7; the ranges name them as IPv4.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped) return list.check(mapped, 'ipv4')
  return net.isIP(address) !== 0 && list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4')
}
