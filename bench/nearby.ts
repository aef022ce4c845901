import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { startTestPlatform } from '../tests/support/test-platform.js'
import { findNearbyReports, listReportCategories, reportServices } from '../src/modules/reports/index.js'
import { CELL_LAT_DEGREES, CELL_LON_DEGREES } from '../src/modules/reports/reports.grid.js'
import { intFromEnv, ms, percentile, table, timeRepeated } from './measure.js'
import { generateOpenCases } from './generate.js'
import { seededRandom } from '../src/modules/triage/triage.model.js'

// Dortmund, roughly: where the generated reports and the looked-up places lie.
const AREA = { south: 51.42, north: 51.59, west: 7.31, east: 7.63 }
const LOOKUPS = 1000

/**
 * "Already reported nearby": open reports of the same category within 100 m of a place, over a million stored
 * reports spread over the city. The baseline is reading one report by its primary key, in the same run.
 */
export async function benchNearby(): Promise<string> {
  const count = intFromEnv('BENCH_REPORTS', 1_000_000, 1000)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-bench-'))
  const platform = await startTestPlatform({ seedDemoData: false, dataDir })
  const { db } = platform.database
  try {
    const definition = reportServices(platform.app.services)[0]
    if (!definition) throw new Error('no report service is defined (services/maengelmelder.yaml)')
    const codes = listReportCategories(platform.app.services).map(c => c.code)
    const generatedIn = await generateOpenCases(db, [definition], count, 'BENCH-R-')
    const t0 = process.hrtime.bigint()
    // One report per generated case: a pseudo-random place in the city (from the row number), a category in turn.
    await sql`
      insert into reports (id, case_id, category_code, description, lat, lon, grid_cell, state, source)
      select gen_random_uuid(), c.id, (${sql.val(codes)}::text[])[1 + (p.n % ${codes.length})], 'Bench report ' || p.n,
             p.lat, p.lon,
             floor((p.lat + 90) / ${CELL_LAT_DEGREES})::bigint * 1000000 + floor((p.lon + 180) / ${CELL_LON_DEGREES})::bigint,
             c.status, 'web'
      from (select id, status, row_number() over () as n from cases where reference like 'BENCH-R-%') c
      cross join lateral (select c.n as n,
        ${AREA.south}::float8 + (((c.n * 7919) % 100003) / 100003.0) * ${AREA.north - AREA.south}::float8 as lat,
        ${AREA.west}::float8 + (((c.n * 104729) % 100019) / 100019.0) * ${AREA.east - AREA.west}::float8 as lon) p`.execute(
      db,
    )
    await sql`analyze reports`.execute(db)
    const reportsIn = Number(process.hrtime.bigint() - t0) / 1e9

    // A fixed sequence, so every run looks up the same places.
    const random = seededRandom(42)
    const places = Array.from({ length: LOOKUPS }, () => ({
      categoryCode: codes[Math.floor(random() * codes.length)]!,
      lat: AREA.south + random() * (AREA.north - AREA.south),
      lon: AREA.west + random() * (AREA.east - AREA.west),
    }))
    let found = 0
    let i = 0
    const nearby = await timeRepeated(LOOKUPS, async () => {
      found += (await findNearbyReports(db, places[i++ % LOOKUPS]!)).length
    })
    const ids = (
      await sql<{ id: string }>`select id from reports order by random() limit ${LOOKUPS}`.execute(db)
    ).rows.map(r => r.id)
    let j = 0
    const baseline = await timeRepeated(LOOKUPS, () =>
      db
        .selectFrom('reports')
        .selectAll()
        .where('id', '=', ids[j++ % ids.length]!)
        .executeTakeFirst(),
    )

    const base = percentile(baseline, 0.5)
    const row = (name: string, d: number[]) => [
      name,
      ms(percentile(d, 0.5)),
      ms(percentile(d, 0.95)),
      ms(percentile(d, 0.99)),
      `${(percentile(d, 0.5) / base).toFixed(1)} ×`,
    ]
    const database = platform.database.kind === 'pglite' ? 'PGlite (embedded, on disk)' : 'PostgreSQL server'
    return [
      `Nearby duplicates on ${database}: ${count.toLocaleString('en')} open reports in ${codes.length} categories (cases in ${generatedIn.toFixed(0)} s, reports in ${reportsIn.toFixed(0)} s), ${LOOKUPS} lookups within 100 m found ${found} reports`,
      '',
      table(
        ['figure', 'p50', 'p95', 'p99', 'p50 vs. baseline'],
        [
          row('open reports of the category within 100 m, nearest first (grid cells, index)', nearby),
          row('baseline: one report by primary key', baseline),
        ],
      ),
      '',
    ].join('\n')
  } finally {
    await platform.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
