import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { startTestPlatform, DEMO_PASSWORD, type TestPlatform } from '../tests/support/test-platform.js'
import { demoStaffEmail } from '../src/seed.js'
import { generateCases } from '../src/modules/cases/index.js'
import { progressBar } from '../src/platform/progress.js'
import { intFromEnv, ms, percentile, timeRepeated } from './measure.js'

const MAX_CASES = 10_000_000

export interface GeneratedOffice {
  platform: TestPlatform
  cases: number
  generated: Awaited<ReturnType<typeof generateCases>>
  /** Seconds the generation took, everything it made included. */
  generatedIn: number
  /** The first office: the signed-in caseworker's. */
  officeId: string
  officeCases: number
  database: string
  base: string
  /** GET with the caseworker's session; anything but 200 stops the bench. */
  get(url: string): Promise<string>
  /** Three warm-up requests, then `rounds` timed ones. */
  timed(url: string, rounds: number): Promise<number[]>
}

/**
 * A platform of its own on disk (a million cases do not fit the embedded database's memory mode), filled with the
 * number of generated cases the variable asks for (default 1,000,000, in 35 offices), listening on 127.0.0.1 with a
 * caseworker of the first office signed in; removed again when `run` is done.
 */
export async function withGeneratedOffice<T>(
  variable: string,
  events: boolean,
  run: (office: GeneratedOffice) => Promise<T>,
): Promise<T> {
  const cases = intFromEnv(variable, 1_000_000, 1000)
  if (cases > MAX_CASES) throw new Error(`${variable} must be at most ${MAX_CASES.toLocaleString('en')}, got ${cases}`)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-bench-'))
  const platform = await startTestPlatform({ dataDir })
  try {
    const services = platform.app.services
    const progress = progressBar(process.stderr, cases, 'cases')
    const generated = await generateCases({
      db: platform.database.db,
      databaseUrl: platform.config.databaseUrl || undefined,
      offices: services.offices,
      services: services.all(),
      count: cases,
      events,
      onProgress: done => progress.update(done),
    })
    progress.finish()
    const officeId = generated.officeIds[0]!
    const officeCases = (
      await sql<{ n: number }>`select count(*)::int as n from cases where office_id = ${officeId}`.execute(
        platform.database.db,
      )
    ).rows[0]!.n
    await platform.app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(platform.app.server.address() as AddressInfo).port}`
    const cookie = await signIn(base, demoStaffEmail(officeId, 'caseworker'))
    const get = async (url: string) => {
      const res = await fetch(`${base}${url}`, { headers: { cookie }, redirect: 'manual' })
      const body = await res.text()
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`)
      return body
    }
    const timed = async (url: string, rounds: number) => {
      for (let i = 0; i < 3; i++) await get(url)
      return timeRepeated(rounds, () => get(url))
    }
    return await run({
      platform,
      cases,
      generated,
      generatedIn: generated.casesSeconds + generated.eventsSeconds + generated.analyzeSeconds,
      officeId,
      officeCases,
      database: platform.database.kind === 'pglite' ? 'PGlite (embedded, on disk)' : 'PostgreSQL server',
      base,
      get,
      timed,
    })
  } finally {
    await platform.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

/** A table row of p50, p95, max and both ratios against the baseline's. */
export function rowAgainst(baseline: number[]) {
  const b50 = percentile(baseline, 0.5)
  const b95 = percentile(baseline, 0.95)
  return (name: string, d: number[]) => [
    name,
    ms(percentile(d, 0.5)),
    ms(percentile(d, 0.95)),
    ms(d[d.length - 1]!),
    `${(percentile(d, 0.5) / b50).toFixed(1)} ×`,
    `${(percentile(d, 0.95) / b95).toFixed(1)} ×`,
  ]
}

/** Signs in through the login form, as a browser does; returns the Cookie header of the session. */
export async function signIn(base: string, email: string): Promise<string> {
  const jar = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const at = pair!.indexOf('=')
      jar.set(pair!.slice(0, at), pair!.slice(at + 1))
    }
  }
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const page = await fetch(`${base}/backoffice/login`, { redirect: 'manual' })
  keep(page)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  const res = await fetch(`${base}/backoffice/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD }).toString(),
  })
  keep(res)
  await res.text()
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`)
  return header()
}
