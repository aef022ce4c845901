import crypto from 'node:crypto'
import { sql } from 'kysely'
import { demoStaffEmail } from '../src/seed.js'
import { insertCaseEvent } from '../src/modules/cases/index.js'
import { encodeCursor } from '../src/modules/cases/cases.inbox.js'
import { addNote } from '../src/modules/cases/cases.messages.js'
import { finalStatuses } from '../src/modules/cases/cases.workflow.js'
import type { StaffMember } from '../src/platform/auth/sessions.js'
import type { Db } from '../src/platform/db/database.js'
import { intFromEnv, table, timeRepeated } from './measure.js'
import { rowAgainst, withGeneratedOffice } from './generated-office.js'

/** How far down the office's (filtered) list the deep page starts. */
const DEPTH = 0.9

/**
 * The back-office inbox and the case view over real HTTP, with a caseworker's session, on many generated cases
 * (BENCH_INBOX_CASES, default 1,000,000, in 35 offices): the first page and a page deep in the keyset, without and
 * with each filter; the case view of a case with 50 timeline entries, which writes an audit row per read.
 * Baseline in the same run: the counter page, an authenticated back-office page that reads no case, so one round
 * trip through the same HTTP stack, session lookup and layout; what is above it is the inbox's or case's own work.
 */
export async function benchInbox(): Promise<string> {
  const rounds = intFromEnv('BENCH_INBOX_ROUNDS', 100, 5)
  return withGeneratedOffice(
    'BENCH_INBOX_CASES',
    true,
    async ({ platform, cases, generated, generatedIn, officeId, officeCases, database, base, timed }) => {
      const { db } = platform.database
      const services = platform.app.services
      // The filters a caseworker uses: the office's most frequent open status, one of its services, nobody's cases, overdue.
      const finals = [...new Set(services.all().flatMap(finalStatuses))]
      const openStatus = (
        await sql<{
          status: string
        }>`select status from cases where office_id = ${officeId} and status <> all(${sql.val(finals)}::text[])
      group by status order by count(*) desc limit 1`.execute(db)
      ).rows[0]!.status
      const serviceId = (
        await sql<{
          id: string
        }>`select service_id as id from cases where office_id = ${officeId} group by service_id order by count(*) limit 1`.execute(
          db,
        )
      ).rows[0]!.id
      const now = new Date()
      const variants: { name: string; query: Record<string, string>; where: ReturnType<typeof sql> }[] = [
        { name: 'no filter', query: {}, where: sql`true` },
        { name: `status = ${openStatus}`, query: { status: openStatus }, where: sql`status = ${openStatus}` },
        {
          name: `service = ${serviceId} (the office's smallest)`,
          query: { service: serviceId },
          where: sql`service_id = ${serviceId}`,
        },
        { name: 'assignee = unassigned', query: { assignee: 'unassigned' }, where: sql`assignee_id is null` },
        {
          name: 'overdue',
          query: { overdue: '1' },
          where: sql`due_at < ${now} and status <> all(${sql.val(finals)}::text[])`,
        },
        {
          name: `service + status + unassigned`,
          query: { service: serviceId, status: openStatus, assignee: 'unassigned' },
          where: sql`service_id = ${serviceId} and status = ${openStatus} and assignee_id is null`,
        },
      ]
      const rows: string[][] = []
      const results: { name: string; durations: number[] }[] = []
      const measure = async (name: string, url: string) => {
        results.push({ name, durations: await timed(url, rounds) })
      }

      const baseline = await timed('/backoffice/counter', rounds)
      for (const v of variants) {
        const matching = (
          await sql<{
            n: number
          }>`select count(*)::int as n from cases where office_id = ${officeId} and ${v.where}`.execute(db)
        ).rows[0]!.n
        await measure(
          `inbox, first page, ${v.name} (${matching.toLocaleString('en')} cases)`,
          `/backoffice?${new URLSearchParams(v.query)}`,
        )
        const deep = (
          await sql<{
            submitted_at: Date
            id: string
          }>`select submitted_at, id from cases where office_id = ${officeId} and ${v.where}
        order by submitted_at desc, id desc offset ${Math.floor(matching * DEPTH)} limit 1`.execute(db)
        ).rows[0]
        if (deep)
          await measure(
            `inbox, page ${Math.round(DEPTH * 100)} % down, ${v.name}`,
            `/backoffice?${new URLSearchParams({ ...v.query, after: encodeCursor({ submittedAt: new Date(deep.submitted_at), id: deep.id }) })}`,
          )
      }

      const caseId = await caseWithTimeline(db, officeId)
      const auditBefore = await countAudit(db, caseId)
      await measure('case view, 50 timeline entries (writes an audit row)', `/backoffice/cases/${caseId}`)
      const audited = (await countAudit(db, caseId)) - auditBefore
      if (audited !== rounds + 3)
        throw new Error(`expected ${rounds + 3} audit rows of the case view, found ${audited}`)
      const readyz = await timeRepeated(rounds, async () => {
        const res = await fetch(`${base}/readyz`)
        await res.text()
      })

      const row = rowAgainst(baseline)
      for (const r of results) rows.push(row(r.name, r.durations))
      return [
        `Inbox and case view on ${database} over HTTP (127.0.0.1, session cookie of a caseworker of ${officeId}), ${rounds} rounds each: ` +
          `${cases.toLocaleString('en')} cases in ${generated.officeIds.length} offices, ${officeCases.toLocaleString('en')} in ${officeId}; ` +
          `generated by ${generated.method === 'copy' ? 'COPY' : 'insert … select'} in ${generatedIn.toFixed(0)} s (${Math.round(cases / generatedIn).toLocaleString('en')} cases/s incl. timeline entries and ANALYZE)`,
        '',
        table(
          ['figure', 'p50', 'p95', 'max', 'p50 vs. baseline', 'p95 vs. baseline'],
          [
            ...rows,
            row('baseline: GET /backoffice/counter (signed in, no case read)', baseline),
            row('for reference: GET /readyz (no session, one `select 1`)', readyz),
          ],
        ),
        '',
      ].join('\n')
    },
  )
}

function countAudit(db: Db, caseId: string) {
  return db
    .selectFrom('audit_log')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('action', '=', 'case.read')
    .executeTakeFirstOrThrow()
    .then(r => Number(r.n))
}

/**
 * A case of the office with 50 timeline entries of the kinds a busy case has: the submission, 15 notes (with their
 * case-file documents, through addNote), 15 messages to the applicant, 10 transitions, 9 assignments.
 */
async function caseWithTimeline(db: Db, officeId: string): Promise<string> {
  const found = await db
    .selectFrom('cases')
    .select(['id', 'status'])
    .where('office_id', '=', officeId)
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const person = await db
    .selectFrom('staff')
    .select(['id', 'email', 'name'])
    .where('email', '=', demoStaffEmail(officeId, 'caseworker'))
    .executeTakeFirstOrThrow()
  const staff: StaffMember = { ...person, roles: [{ officeId, role: 'caseworker' }] }
  for (let i = 1; i <= 15; i++)
    await addNote(
      db,
      staff,
      found.id,
      `Vermerk ${i}: Unterlagen geprüft, Rückfrage beim Antragsteller wegen Nachweis ${i}.`,
    )
  for (let i = 1; i <= 15; i++) {
    await db.transaction().execute(async trx => {
      const messageId = crypto.randomUUID()
      await trx
        .insertInto('messages')
        .values({
          id: messageId,
          case_id: found.id,
          direction: 'to_applicant',
          sender_staff_id: staff.id,
          subject: `Nachricht ${i} zu Ihrem Antrag`,
          body: 'Bitte reichen Sie den fehlenden Nachweis nach.',
        })
        .execute()
      await insertCaseEvent(trx, {
        caseId: found.id,
        kind: 'message_sent',
        internal: false,
        actorStaffId: staff.id,
        data: { messageId, subject: `Nachricht ${i} zu Ihrem Antrag` },
      })
    })
  }
  for (let i = 1; i <= 10; i++)
    await insertCaseEvent(db, {
      caseId: found.id,
      kind: 'transition',
      internal: false,
      actorStaffId: staff.id,
      data: { transitionId: 'bench', from: found.status, to: found.status },
    })
  for (let i = 1; i <= 9; i++)
    await insertCaseEvent(db, {
      caseId: found.id,
      kind: 'assigned',
      internal: true,
      actorStaffId: staff.id,
      data: { assigneeId: staff.id, assigneeName: staff.name },
    })
  const events = await db
    .selectFrom('case_events')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', found.id)
    .executeTakeFirstOrThrow()
  if (Number(events.n) !== 50) throw new Error(`the case view's case has ${events.n} timeline entries, not 50`)
  await sql`analyze case_events`.execute(db)
  return found.id
}
