import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { startTestPlatform } from '../tests/support/test-platform.js'
import { loadOffices, loadServiceDefinitions, syncServices } from '../src/modules/catalogue/index.js'
import { intFromEnv, ms, percentile, table, timeRepeated } from './measure.js'
import { generateServices } from './generate-services.js'
import { CATALOGUE_QUERIES } from './catalogue-queries.js'

const ROUNDS = 3
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9

/**
 * Catalogue search over a catalogue the size of LeiKa (6,000 generated services): 200 fixed queries, German and
 * English with typos, against the JSON API and the portal's search page, over real HTTP on a listening port.
 * The baseline is one service by id through the same HTTP stack, in the same run.
 */
export async function benchCatalogue(): Promise<string> {
  const count = intFromEnv('BENCH_SERVICES', 6000, 1)
  const generated = generateServices(count)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-bench-'))
  try {
    const t0 = process.hrtime.bigint()
    const offices = loadOffices(generated.dir)
    const loaded = loadServiceDefinitions(generated.dir, offices)
    const loadSeconds = seconds(t0)
    const t1 = process.hrtime.bigint()
    // On disk like `npm start`; with DATABASE_URL a new database on the server.
    const platform = await startTestPlatform({ seedDemoData: false, dataDir, servicesDir: generated.dir })
    const bootSeconds = seconds(t1)
    const { db } = platform.database
    try {
      // The first sync on its own (boot did one too): an empty registry, then a restart where nothing changed.
      await sql`delete from catalogue_entries`.execute(db)
      await sql`delete from service_versions`.execute(db)
      const t2 = process.hrtime.bigint()
      await syncServices(db, offices, loaded)
      const firstSyncSeconds = seconds(t2)
      const t3 = process.hrtime.bigint()
      await syncServices(db, offices, loaded)
      const resyncSeconds = seconds(t3)
      await sql`analyze catalogue_entries`.execute(db)

      await platform.app.listen({ host: '127.0.0.1', port: 0 })
      const { port } = platform.app.server.address() as AddressInfo
      const base = `http://127.0.0.1:${port}`
      // One visitor: the session cookie of the first page is sent with every later one, as a browser does.
      const first = await fetch(`${base}/services`)
      await first.text()
      const cookie = first.headers
        .getSetCookie()
        .map(c => c.split(';')[0])
        .join('; ')
      const get = async (url: string, expectJson: boolean) => {
        const res = await fetch(`${base}${url}`, { headers: cookie ? { cookie } : {} })
        const body = expectJson ? await res.json() : await res.text()
        if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`)
        return body
      }

      let found = 0
      let bytes = 0
      const tops = new Map<string, string>()
      const api: number[] = []
      const page: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        for (const q of CATALOGUE_QUERIES) {
          const a = await timeRepeated(1, async () => {
            const body = (await get(`/api/v1/services?q=${encodeURIComponent(q)}`, true)) as {
              total: number
              services: { id: string }[]
            }
            if (round === 0) {
              if (body.total > 0) found++
              tops.set(q, body.services[0]?.id ?? '–')
            }
          })
          api.push(...a)
          const p = await timeRepeated(1, async () => {
            const html = (await get(`/services?q=${encodeURIComponent(q)}`, false)) as string
            if (round === 0) bytes += html.length
          })
          page.push(...p)
        }
      }
      api.sort((a, b) => a - b)
      page.sort((a, b) => a - b)
      const one = loaded[Math.floor(loaded.length / 2)]!.definition.id
      const baseline = await timeRepeated(ROUNDS * CATALOGUE_QUERIES.length, () => get(`/api/v1/services/${one}`, true))

      const b50 = percentile(baseline, 0.5)
      const row = (name: string, d: number[]) => [
        name,
        ms(percentile(d, 0.5)),
        ms(percentile(d, 0.95)),
        ms(d[d.length - 1]!),
        `${(percentile(d, 0.5) / b50).toFixed(1)} ×`,
        `${(percentile(d, 0.95) / percentile(baseline, 0.95)).toFixed(1)} ×`,
      ]
      const database = platform.database.kind === 'pglite' ? 'PGlite (embedded, on disk)' : 'PostgreSQL server'
      const samples = ['Ummeldnug', 'Persnalausweis', 'Hundestuer', 'parkng permit', 'xyzzy']
        .map(q => `"${q}" → ${tops.get(q)}`)
        .join(', ')
      return [
        `Catalogue search on ${database}: ${count.toLocaleString('en')} generated services (written in ${generated.seconds.toFixed(1)} s, loaded and checked in ${loadSeconds.toFixed(1)} s; ` +
          `boot incl. loading and first sync ${bootSeconds.toFixed(1)} s; registry sync alone ${firstSyncSeconds.toFixed(1)} s, at a restart with nothing changed ${resyncSeconds.toFixed(1)} s)`,
        `${CATALOGUE_QUERIES.length} queries × ${ROUNDS} rounds over HTTP (keep-alive, one at a time); ${found} of ${CATALOGUE_QUERIES.length} queries find something; ` +
          `search page ${Math.round(bytes / CATALOGUE_QUERIES.length / 1024)} KiB on average; first hits: ${samples}`,
        '',
        table(
          ['figure', 'p50', 'p95', 'max', 'p50 vs. baseline', 'p95 vs. baseline'],
          [
            row('GET /api/v1/services?q=… (JSON, best 50)', api),
            row('GET /services?q=… (portal search page, first page)', page),
            row(`baseline: GET /api/v1/services/${one} (one definition by id)`, baseline),
          ],
        ),
        '',
      ].join('\n')
    } finally {
      await platform.close()
    }
  } finally {
    generated.remove()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
