import { sql } from 'kysely'
import type { Db } from '../src/platform/db/database.js'
import type { ServiceDefinition } from '../src/modules/catalogue/index.js'

const CHUNK = 100_000

/**
 * Open cases of the given services, generated in the database 100,000 per statement (deadlines spread from 30
 * days past to a year ahead, 1 % with the clock stopped), with a progress line on stderr. Returns seconds taken.
 */
export async function generateOpenCases(
  db: Db,
  defs: ServiceDefinition[],
  count: number,
  prefix: string,
): Promise<number> {
  const values = defs.map(
    (d, i) => sql`(${i}::int, ${d.id}::text, ${d.version}::int, ${d.office}::text, ${d.workflow.initial}::text)`,
  )
  const t0 = process.hrtime.bigint()
  for (let from = 1; from <= count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK - 1)
    await sql`
      insert into cases (id, reference, draft_id, service_id, service_version, office_id, applicant_name, answers, status,
                         submitted_at, updated_at, due_at, retain_until, locale, clock_stopped_at, next_alert)
      select gen_random_uuid(), ${prefix} || n, gen_random_uuid(), s.service_id, s.version, s.office_id, 'Bench ' || n, '{}'::jsonb, s.status,
             now() - interval '40 days', now(), now() + ((n % 395) - 30) * interval '1 day' + (n % 86400) * interval '1 second',
             current_date + 3650, 'de', case when n % 100 = 0 then now() else null end, 'reminder'
      from generate_series(${from}::int, ${to}::int) as n
      join (values ${sql.join(values)}) as s(idx, service_id, version, office_id, status) on s.idx = n % ${defs.length}`.execute(
      db,
    )
    process.stderr.write(`\r  generating open cases: ${to.toLocaleString('en')} / ${count.toLocaleString('en')}`)
  }
  process.stderr.write('\n')
  await sql`analyze cases`.execute(db)
  return Number(process.hrtime.bigint() - t0) / 1e9
}
