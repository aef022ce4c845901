import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { startTestPlatform } from '../tests/support/test-platform.js'
import { demoStaffEmail } from '../src/seed.js'
import { generateCases } from '../src/modules/cases/index.js'
import { progressBar } from '../src/platform/progress.js'
import { intFromEnv, ms, percentile, table, timeRepeated } from './measure.js'
import { signIn } from './inbox.js'

const MAX_CASES = 10_000_000

/**
 * The back-office search over real HTTP with a caseworker's session, on many generated cases (BENCH_SEARCH_CASES,
 * default 1,000,000, in 35 offices; each with name, e-mail and an address in Dortmund): an exact reference, a
 * reference fragment, common and rare names, a whole and a partial e-mail address, streets, a postcode and a query
 * that finds nothing, each BENCH_SEARCH_ROUNDS times (every search writes its audit row). Baseline in the same run:
 * the inbox's first page, a list of 50 cases of the office through the same HTTP stack, session and layout.
 */
export async function benchSearch(): Promise<string> {
  const cases = intFromEnv('BENCH_SEARCH_CASES', 1_000_000, 1000)
  if (cases > MAX_CASES) throw new Error(`BENCH_SEARCH_CASES must be at most ${MAX_CASES.toLocaleString('en')}, got ${cases}`)
  const rounds = intFromEnv('BENCH_SEARCH_ROUNDS', 50, 5)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-bench-'))
  // A million cases do not fit the embedded database's memory mode; it runs on disk like `npm start`.
  const platform = await startTestPlatform({ dataDir })
  const { db } = platform.database
  const services = platform.app.services
  try {
    const progress = progressBar(process.stderr, cases, 'cases')
    const generated = await generateCases({
      db, databaseUrl: platform.config.databaseUrl || undefined, offices: services.offices, services: services.all(), count: cases,
      events: false, onProgress: (done) => progress.update(done),
    })
    progress.finish()
    const generatedIn = generated.casesSeconds + generated.analyzeSeconds
    const officeId = generated.officeIds[0]!
    const officeCases = (await sql<{ n: number }>`select count(*)::int as n from cases where office_id = ${officeId}`.execute(db)).rows[0]!.n
    const indexBytes = (await sql<{ n: number }>`select pg_relation_size('cases_search')::bigint as n`.execute(db)).rows[0]!.n
    // A case of the office from the middle of the load: its reference and e-mail are searched for.
    const sample = (await sql<{ reference: string; email: string }>`select reference, applicant_email as email from cases
      where office_id = ${officeId} and reference like ${`${generated.prefix}%`} order by reference desc offset ${Math.floor(officeCases / 2)} limit 1`.execute(db)).rows[0]!
    const number = sample.reference.slice(generated.prefix.length)
    const queries: [string, string][] = [
      ['exact reference', sample.reference],
      ['reference fragment (its number)', number],
      ['common family name', 'Müller'],
      ['family name, other spelling', 'Yilmaz'],
      ['given and family name', 'Elif Öztürk'],
      ['name fragments', 'Aleks Kowal'],
      ['whole e-mail address', sample.email],
      ['e-mail fragment', sample.email.split('@')[0]!.split('.').slice(0, 2).join('.')],
      ['street', 'Hohe Straße'],
      ['street, abbreviated, house number', 'Hörder Bahnhofstr. 17'],
      ['postcode', '44263'],
      ['nothing found', 'Quetzalcoatl'],
    ]

    await platform.app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`
    const cookie = await signIn(base, demoStaffEmail(officeId, 'caseworker'))
    const get = async (url: string) => {
      const res = await fetch(`${base}${url}`, { headers: { cookie }, redirect: 'manual' })
      const body = await res.text()
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`)
      return body
    }
    const timed = async (url: string) => {
      for (let i = 0; i < 3; i++) await get(url)
      return timeRepeated(rounds, () => get(url))
    }

    const baseline = await timed('/backoffice')
    const found = (html: string) => [...html.matchAll(/href="\/backoffice\/cases\/[0-9a-f-]+"/g)].length
    const results: { name: string; durations: number[] }[] = []
    for (const [name, q] of queries) {
      const url = `/backoffice/search?q=${encodeURIComponent(q)}`
      const hits = found(await get(url))
      results.push({ name: `${name}: "${q}" (${hits === 50 ? 'more than 50, 50 shown' : `${hits} found`})`, durations: await timed(url) })
    }
    const all = results.flatMap((r) => r.durations).sort((a, b) => a - b)

    const b50 = percentile(baseline, 0.5)
    const b95 = percentile(baseline, 0.95)
    const row = (name: string, d: number[]) => [name, ms(percentile(d, 0.5)), ms(percentile(d, 0.95)), ms(d[d.length - 1]!),
      `${(percentile(d, 0.5) / b50).toFixed(1)} ×`, `${(percentile(d, 0.95) / b95).toFixed(1)} ×`]
    const database = platform.database.kind === 'pglite' ? 'PGlite (embedded, on disk)' : 'PostgreSQL server'
    return [
      `Back-office search on ${database} over HTTP (127.0.0.1, session cookie of a caseworker of ${officeId}), ${rounds} rounds each: `
        + `${cases.toLocaleString('en')} cases in ${generated.officeIds.length} offices, ${officeCases.toLocaleString('en')} in ${officeId}; `
        + `generated by ${generated.method === 'copy' ? 'COPY' : 'insert … select'} in ${generatedIn.toFixed(0)} s (${Math.round(cases / generatedIn).toLocaleString('en')} cases/s `
        + `incl. the search text, its trigram index and ANALYZE); index cases_search ${(indexBytes / 2 ** 20).toFixed(0)} MiB`,
      '',
      table(['figure', 'p50', 'p95', 'max', 'p50 vs. baseline', 'p95 vs. baseline'], [
        ...results.map((r) => row(r.name, r.durations)),
        row(`all ${queries.length} queries together`, all),
        row('baseline: GET /backoffice (inbox, first page of the office, 50 cases)', baseline),
      ]),
      '',
    ].join('\n')
  } finally {
    await platform.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
