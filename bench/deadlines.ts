import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { startTestPlatform } from '../tests/support/test-platform.js'
import { sweepDeadlines, REMINDER_WORKING_DAYS } from '../src/modules/cases/cases.deadlines.sweep.js'
import { listCasesDueBefore } from '../src/modules/cases/cases.queries.js'
import { addWorkingDays, dayInCity, endOfCityDay } from '../src/platform/calendar/index.js'
import { intFromEnv, ms, percentile, table, timeRepeated } from './measure.js'
import { generateOpenCases } from './generate.js'

const REPEAT = 10

/**
 * Overdue detection over many open cases: deadlines spread from 30 days past to a year ahead, as in an office
 * that has a backlog. Measured twice: before any alert was sent (the sweep finds work) and in the steady state
 * where every due case was already reminded or escalated (what every 15-minute run costs).
 */
export async function benchDeadlines(): Promise<string> {
  const cases = intFromEnv('BENCH_OPEN_CASES', 1_000_000, 1000)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-bench-'))
  // A million cases do not fit the embedded database's memory mode; it runs on disk like `npm start`.
  const platform = await startTestPlatform({ seedDemoData: false, dataDir })
  const { db } = platform.database
  const services = platform.app.services
  try {
    const defs = services.all()
    const generatedIn = await generateOpenCases(db, defs, cases, 'BENCH-')

    const now = new Date()
    const horizon = endOfCityDay(addWorkingDays(dayInCity(now), REMINDER_WORKING_DAYS))
    const due = await sql<{ n: number }>`select count(*)::int as n from cases where due_at < ${horizon}`.execute(db)
    // Baseline: the least any detection must do, one indexed range count of the cases due by the horizon.
    const baseline = await timeRepeated(REPEAT, () =>
      sql`select count(*) from cases where due_at < ${horizon}`.execute(db),
    )
    const detectFresh = await timeRepeated(REPEAT, () => listCasesDueBefore(db, horizon, 500, now))
    const firstSweep = await timeRepeated(1, () => sweepDeadlines({ db, services, config: platform.config }, now))
    // Steady state: everything due was alerted by earlier runs.
    await sql`insert into deadline_alerts (case_id, kind, due_at)
              select id, case when due_at <= ${now} then 'escalation' else 'reminder' end, due_at from cases
              where due_at < ${horizon} on conflict do nothing`.execute(db)
    await sql`update cases set next_alert = case when due_at <= ${now} then null else 'escalation' end where due_at < ${horizon}`.execute(
      db,
    )
    await sql`analyze deadline_alerts`.execute(db)
    await sql`analyze cases`.execute(db)
    const detectSteady = await timeRepeated(REPEAT, () => listCasesDueBefore(db, horizon, 500, now))
    const steadySweep = await timeRepeated(3, () => sweepDeadlines({ db, services, config: platform.config }, now))

    const base = percentile(baseline, 0.5)
    const row = (name: string, d: number[]) => [
      name,
      ms(percentile(d, 0.5)),
      ms(d[d.length - 1]!),
      `${(percentile(d, 0.5) / base).toFixed(1)} ×`,
    ]
    const database = platform.database.kind === 'pglite' ? 'PGlite (embedded, on disk)' : 'PostgreSQL server'
    return [
      `Overdue detection on ${database}: ${cases.toLocaleString('en')} open cases in ${defs.length} services (generated in ${generatedIn.toFixed(0)} s), ${due.rows[0]!.n.toLocaleString('en')} due within ${REMINDER_WORKING_DAYS} working days or overdue`,
      '',
      table(
        ['figure', 'p50', 'max', 'vs. baseline'],
        [
          row(
            'find cases to alert (open, clock running, not yet alerted), batch of 500, nothing alerted yet',
            detectFresh,
          ),
          row('first sweep: 500 alerts recorded, timeline entries, mails queued', firstSweep),
          row('find cases to alert, steady state (every due case already alerted)', detectSteady),
          row('whole sweep, steady state (incl. owed-document reminders)', steadySweep),
          row('baseline: indexed count of cases due by the horizon', baseline),
        ],
      ),
      '',
    ].join('\n')
  } finally {
    await platform.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
