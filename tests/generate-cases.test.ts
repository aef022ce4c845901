import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { sql } from 'kysely'
import { startTestPlatform } from './support/test-platform.js'
import { staffBrowser } from './support/casework.js'
import { generateCases, GENERATED_OFFICE_PREFIX, parseGenerateCasesArgs } from '../src/modules/cases/index.js'
import { finalStatuses } from '../src/modules/cases/cases.workflow.js'

function cli(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  // DATABASE_URL pointing nowhere: a refused argument must stop before any database is opened.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'generate-cases', ...args], {
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise(resolve => child.on('close', code => resolve({ code, stderr })))
}

const REFUSED: [string[], RegExp][] = [
  [[], /the number of cases N is missing/],
  [['many'], /must be a whole number, got "many"/],
  [['2.5'], /must be a whole number, got "2.5"/],
  [['0'], /must be between 1 and 10,000,000, got 0/],
  [['10000001'], /must be between 1 and 10,000,000, got 10000001/],
  [['100', '--fast'], /unknown option "--fast"/],
  [['100', '200'], /unexpected argument "200"/],
  [['100', '--offices'], /--offices needs a number of offices/],
  [['100', '--offices', '0'], /--offices must be between 1 and 500/],
]

test('generate-cases refuses wrong arguments with a clear message and exit code 2', async () => {
  // Every refusal through the parser the command uses; three through the command itself (a process each is slow).
  for (const [args, message] of REFUSED) {
    const parsed = parseGenerateCasesArgs(args)
    assert.ok('error' in parsed, `generate-cases ${args.join(' ')} is refused`)
    assert.match(parsed.error, message)
  }
  assert.deepEqual(parseGenerateCasesArgs(['1_000_000', '--offices=12']), { count: 1_000_000, offices: 12 })
  assert.deepEqual(parseGenerateCasesArgs(['--offices', '3', '500']), { count: 500, offices: 3 })
  const runs = await Promise.all(
    [REFUSED[0]!, REFUSED[2]!, REFUSED[5]!].map(async ([args, message]) => ({
      args,
      message,
      ...(await cli(...args)),
    })),
  )
  for (const { args, message, code, stderr } of runs) {
    assert.equal(code, 2, `exit code of generate-cases ${args.join(' ')}`)
    assert.match(stderr, message)
    assert.match(stderr, /Usage: bauhaus generate-cases N \[--offices K\]/)
  }
})

test('3,000 generated cases spread over 35 offices, their services and states, 30 % assigned, and show in the inbox', async () => {
  const platform = await startTestPlatform()
  const { db } = platform.database
  const services = platform.app.services
  try {
    const result = await generateCases({
      db,
      databaseUrl: platform.config.databaseUrl || undefined,
      offices: services.offices,
      services: services.all(),
      count: 3000,
      prefix: 'TEST-GEN-',
    })
    assert.equal(result.method, platform.config.databaseUrl ? 'copy' : 'insert-select')
    assert.equal(result.officeIds.length, 35)
    assert.equal(result.generatedOffices, 35 - services.offices.length)

    const total = await sql<{ n: number; offices: number; assigned: number; events: number; years: number }>`
      select count(*)::int as n, count(distinct office_id)::int as offices, count(assignee_id)::int as assigned,
             (select count(*)::int from case_events e join cases c2 on c2.id = e.case_id where c2.reference like 'TEST-GEN-%' and e.kind = 'submitted') as events,
             extract(epoch from max(submitted_at) - min(submitted_at)) / (365 * 86400) as years
      from cases where reference like 'TEST-GEN-%'`.execute(db)
    const t = total.rows[0]!
    assert.equal(t.n, 3000)
    assert.equal(t.offices, 35)
    assert.ok(t.assigned > 3000 * 0.25 && t.assigned < 3000 * 0.35, `about 30 % assigned, got ${t.assigned}`)
    assert.equal(t.events, 3000, 'a submitted timeline entry per case')
    assert.ok(Number(t.years) > 2.9, `submissions spread over 3 years, got ${t.years}`)
    // Every assignee works in the case's office.
    const strays = await sql<{
      n: number
    }>`select count(*)::int as n from cases c where c.reference like 'TEST-GEN-%' and c.assignee_id is not null
      and not exists (select 1 from staff_roles r where r.staff_id = c.assignee_id and r.office_id = c.office_id)`.execute(
      db,
    )
    assert.equal(strays.rows[0]!.n, 0)

    // Every state of every used workflow occurs, final ones included; every status belongs to its service.
    const pairs = await sql<{
      serviceId: string
      status: string
    }>`select distinct service_id as "serviceId", status from cases where reference like 'TEST-GEN-%'`.execute(db)
    const used = new Set(pairs.rows.map(p => p.serviceId))
    for (const serviceId of used) {
      const def = services.get(serviceId)
      const seen = new Set(pairs.rows.filter(p => p.serviceId === serviceId).map(p => p.status))
      for (const state of def.workflow.states) assert.ok(seen.has(state.id), `${serviceId}: state ${state.id} occurs`)
    }
    const finals = new Set(services.all().flatMap(s => finalStatuses(s).map(f => `${s.id}:${f}`)))
    assert.ok(pairs.rows.some(p => finals.has(`${p.serviceId}:${p.status}`)))

    // The biggest office is the first; its inbox lists the generated cases, newest first, with a next page.
    const biggest = result.officeIds[0]!
    assert.ok(!biggest.startsWith(GENERATED_OFFICE_PREFIX))
    const newest = await db
      .selectFrom('cases')
      .select('reference')
      .where('office_id', '=', biggest)
      .orderBy('submitted_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const browser = await staffBrowser(platform, biggest)
    const inbox = await browser.get('/backoffice')
    assert.equal(inbox.statusCode, 200)
    assert.ok(inbox.body.includes(newest.reference), 'the newest generated case is on the first page')
    assert.match(inbox.body, /rel="next"/)
    const overdue = await browser.get('/backoffice?overdue=1')
    assert.equal(overdue.statusCode, 200)
    assert.match(overdue.body, /TEST-GEN-\d+/)
  } finally {
    await platform.close()
  }
})
