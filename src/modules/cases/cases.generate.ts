import crypto from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { sql } from 'kysely'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Db } from '../../platform/db/database.js'
import type { Office, ServiceDefinition } from '../catalogue/index.js'
import { retentionEnd } from './cases.deadlines.js'

/**
 * `bauhaus generate-cases N`: many realistic cases for load tests and benchmarks, loaded in bulk. On a
 * PostgreSQL server the rows are streamed through `COPY cases FROM STDIN`, made one by one in this process (a
 * million never sit in memory); on the embedded database they are made in the database, 50,000 per
 * `insert … select … from generate_series`. Both ways give the same cases for the same row number n: every
 * spread below is a function of n (and of the plan), written once in TypeScript and once in SQL.
 */

export const GENERATE_MAX_CASES = 10_000_000
export const GENERATE_DEFAULT_OFFICES = 35
export const GENERATE_MAX_OFFICES = 500
const CHUNK = 50_000
/** Slots of the office/service plan: an office gets a share of them by its weight, so ~0.1 % granularity. */
const SLOTS = 1000
const THREE_YEARS_S = 3 * 365 * 86400
/** Cases older than this are mostly decided (90 %); younger ones mostly open (80 %). */
const YOUNG_S = 120 * 86400
const ASSIGNED_PERCENT = 30
/** Offices only in the database, when more are asked for than services/_offices.yaml has. */
export const GENERATED_OFFICE_PREFIX = 'lasttest-amt-'
const GENERATED_STAFF_DOMAIN = 'generated.invalid'
const STAFF_PER_GENERATED_OFFICE = 3

const GIVEN = [
  'Anna',
  'Jonas',
  'Leyla',
  'Mehmet',
  'Sophie',
  'Lukas',
  'Marie',
  'Ben',
  'Elif',
  'Paul',
  'Hannah',
  'Tim',
  'Lea',
  'Noah',
  'Emma',
  'Finn',
  'Mia',
  'Elias',
  'Zeynep',
  'Aleksander',
]
const FAMILY = [
  'Müller',
  'Schmidt',
  'Yılmaz',
  'Schneider',
  'Fischer',
  'Weber',
  'Kowalski',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Nowak',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Öztürk',
  'Neumann',
  'Schwarz',
]
/** The names as they appear in e-mail addresses. */
const mailName = (name: string) =>
  name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ı/g, 'i')
const GIVEN_MAIL = GIVEN.map(mailName)
const FAMILY_MAIL = FAMILY.map(mailName)
/** Dortmund streets with a postcode each, for the applicant's address (the back-office search looks there too). */
const STREETS = [
  'Hohe Straße',
  'Kampstraße',
  'Westenhellweg',
  'Ostenhellweg',
  'Brückstraße',
  'Rheinische Straße',
  'Hansastraße',
  'Kaiserstraße',
  'Märkische Straße',
  'Ruhrallee',
  'Saarlandstraße',
  'Lindemannstraße',
  'Hamburger Straße',
  'Körner Hellweg',
  'Münsterstraße',
  'Mallinckrodtstraße',
  'Borsigplatz',
  'Evinger Straße',
  'Hörder Bahnhofstraße',
  'Hermannstraße',
  'Wittbräucker Straße',
  'Hagener Straße',
  'Stockumer Straße',
  'Hombrucher Straße',
  'Aplerbecker Marktplatz',
  'Köln-Berliner Straße',
  'Brackeler Hellweg',
  'Huckarder Straße',
  'Provinzialstraße',
  'Mengeder Straße',
]
const POSTCODES = [
  '44137',
  '44135',
  '44137',
  '44135',
  '44135',
  '44147',
  '44137',
  '44135',
  '44141',
  '44139',
  '44139',
  '44137',
  '44143',
  '44143',
  '44145',
  '44145',
  '44145',
  '44339',
  '44263',
  '44263',
  '44265',
  '44229',
  '44225',
  '44225',
  '44269',
  '44141',
  '44309',
  '44369',
  '44388',
  '44359',
]
const HOUSE_NUMBERS = 150

export interface GenerateCasesInput {
  db: Db
  /** The PostgreSQL server's URL: rows go through COPY on a connection of their own. Empty on the embedded database. */
  databaseUrl?: string
  offices: Office[]
  services: ServiceDefinition[]
  count: number
  /** Offices the cases are spread over; beyond those in services/_offices.yaml, load-test offices are added. */
  officeCount?: number
  /** Reference prefix; by default GEN-<time>-, which no real reference (DO-YYYY-NNNNNN) or earlier run has. */
  prefix?: string
  /** A 'submitted' timeline entry per case, as a real submission has (default true). */
  events?: boolean
  onProgress?: (done: number) => void
  now?: Date
}

export interface GeneratedCases {
  count: number
  prefix: string
  method: 'copy' | 'insert-select'
  officeIds: string[]
  generatedOffices: number
  generatedStaff: number
  /** Seconds: loading the cases (with their timeline entries on the embedded database), the entries on the server, ANALYZE. */
  casesSeconds: number
  eventsSeconds: number
  analyzeSeconds: number
}

interface PlanEntry {
  officeId: string
  serviceId: string
  version: number
  initial: string
  open: string[]
  final: string[]
  staff: string[]
  dueDays: number
  retentionYears: number
}

/** The CLI's arguments: `N [--offices K]`; a message for anything else. */
export function parseGenerateCasesArgs(args: string[]): { count: number; offices: number } | { error: string } {
  const wholeIn = (raw: string | undefined, what: string, max: number): number | string => {
    if (raw === undefined || raw === '') return `${what} is missing`
    const normalized = raw.replace(/_/g, '')
    if (!/^\d+$/.test(normalized)) return `${what} must be a whole number, got "${raw}"`
    const value = Number(normalized)
    if (value < 1 || value > max) return `${what} must be between 1 and ${max.toLocaleString('en')}, got ${raw}`
    return value
  }
  let countRaw: string | undefined
  let officesRaw: string | undefined = String(GENERATE_DEFAULT_OFFICES)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--offices') {
      officesRaw = args[++i]
      if (officesRaw === undefined) return { error: '--offices needs a number of offices' }
      continue
    }
    if (arg.startsWith('--offices=')) {
      officesRaw = arg.slice('--offices='.length)
      continue
    }
    if (arg.startsWith('-')) return { error: `unknown option "${arg}"` }
    if (countRaw !== undefined) return { error: `unexpected argument "${arg}"` }
    countRaw = arg
  }
  const count = wholeIn(countRaw, 'the number of cases N', GENERATE_MAX_CASES)
  if (typeof count === 'string') return { error: count }
  const offices = wholeIn(officesRaw, '--offices', GENERATE_MAX_OFFICES)
  if (typeof offices === 'string') return { error: offices }
  return { count, offices }
}

/** Generates `count` cases (see the file's comment), then ANALYZE. */
export async function generateCases(input: GenerateCasesInput): Promise<GeneratedCases> {
  const { db, count } = input
  if (!Number.isInteger(count) || count < 1 || count > GENERATE_MAX_CASES)
    throw new RangeError(`count must be a whole number from 1 to ${GENERATE_MAX_CASES}, got ${count}`)
  const officeCount = input.officeCount ?? GENERATE_DEFAULT_OFFICES
  if (!Number.isInteger(officeCount) || officeCount < 1 || officeCount > GENERATE_MAX_OFFICES)
    throw new RangeError(`officeCount must be a whole number from 1 to ${GENERATE_MAX_OFFICES}, got ${officeCount}`)
  const now = input.now ?? new Date()
  const prefix = input.prefix ?? `GEN-${now.getTime().toString(36).toUpperCase()}-`
  const withEvents = input.events ?? true

  const { plan, slotMap, officeIds, generatedOffices, generatedStaff } = await preparePlan(
    db,
    input.offices,
    input.services,
    officeCount,
  )

  const t0 = process.hrtime.bigint()
  let eventsSeconds = 0
  let method: GeneratedCases['method']
  if (input.databaseUrl) {
    method = 'copy'
    await copyCases(input.databaseUrl, plan, slotMap, count, prefix, now, input.onProgress)
    const t1 = process.hrtime.bigint()
    if (withEvents) await insertSubmittedEvents(db, plan, prefix)
    eventsSeconds = seconds(t1)
  } else {
    method = 'insert-select'
    await insertCasesInChunks(db, plan, slotMap, count, prefix, now, withEvents, input.onProgress)
  }
  const casesSeconds = seconds(t0) - eventsSeconds
  const t2 = process.hrtime.bigint()
  await sql`analyze cases`.execute(db)
  if (withEvents) await sql`analyze case_events`.execute(db)
  return {
    count,
    prefix,
    method,
    officeIds,
    generatedOffices,
    generatedStaff,
    casesSeconds,
    eventsSeconds,
    analyzeSeconds: seconds(t2),
  }
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9

/** Calendar days of a processing deadline, roughly (working days as 7/5, a month as 30 days); the real clock is computeDueDate. */
function approximateDays(deadline: ServiceDefinition['processingDeadline']): number {
  if (deadline.unit === 'days') return deadline.value
  if (deadline.unit === 'workingDays') return Math.ceil((deadline.value * 7) / 5)
  return deadline.value * 30
}

/**
 * Which offices, with which definitions and staff, and how often: office i of the list has weight 1/(i+1)^0.7
 * (a big citizens' office, a long tail of small ones). Offices without services of their own (and the
 * generated ones) work on three borrowed definitions, with the office overridden. Report and routed services are
 * left out: their cases need rows of their own (reports, routing) that a bulk load does not make.
 */
async function preparePlan(db: Db, offices: Office[], services: ServiceDefinition[], officeCount: number) {
  const eligible = services.filter(s => !s.report && !s.routing).sort((a, b) => a.id.localeCompare(b.id))
  if (eligible.length === 0)
    throw new Error('no service definition to generate cases for (report and routed services are left out)')
  // Offices with services of their own first, in the file's order: the first is the biggest.
  const ordered = [
    ...offices.filter(o => eligible.some(s => s.office === o.id)),
    ...offices.filter(o => !eligible.some(s => s.office === o.id)),
  ]
  const chosen = ordered.slice(0, officeCount).map(o => o.id)
  let generatedOffices = 0
  for (let i = chosen.length + 1; chosen.length < officeCount; i++, generatedOffices++) {
    const id = `${GENERATED_OFFICE_PREFIX}${String(i).padStart(2, '0')}`
    await db
      .insertInto('offices')
      .values({ id, name_de: `Lasttest-Amt ${i} (generiert)`, name_en: `Load-test office ${i} (generated)` })
      .onConflict(oc => oc.column('id').doNothing())
      .execute()
    chosen.push(id)
  }

  const staffOf = new Map<string, string[]>()
  const roleRows = await db
    .selectFrom('staff_roles')
    .select(['office_id as officeId', 'staff_id as staffId'])
    .where('office_id', 'in', chosen)
    .where('role', 'in', ['caseworker', 'team_lead'])
    .orderBy('staff_id')
    .execute()
  for (const r of roleRows) staffOf.set(r.officeId, [...new Set([...(staffOf.get(r.officeId) ?? []), r.staffId])])
  let generatedStaff = 0
  for (const officeId of chosen.filter(id => !staffOf.has(id))) {
    // People who cannot sign in ('!' is no password hash): names on the assigned cases, nothing more.
    for (let k = 1; k <= STAFF_PER_GENERATED_OFFICE; k++) {
      const email = `lasttest-${k}.${officeId}@${GENERATED_STAFF_DOMAIN}`
      const id = crypto.randomUUID()
      const added = await db
        .insertInto('staff')
        .values({ id, email, name: `Lasttest Sachbearbeitung ${k} (${officeId})`, password_hash: '!' })
        .onConflict(oc => oc.column('email').doNothing())
        .returning('id')
        .executeTakeFirst()
      const staffId =
        added?.id ?? (await db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
      await db
        .insertInto('staff_roles')
        .values({ staff_id: staffId, office_id: officeId, role: 'caseworker' })
        .onConflict(oc => oc.doNothing())
        .execute()
      staffOf.set(officeId, [...(staffOf.get(officeId) ?? []), staffId])
      if (added) generatedStaff++
    }
  }

  const plan: PlanEntry[] = []
  const weights = chosen.map((_, i) => (i + 1) ** -0.7)
  const total = weights.reduce((a, b) => a + b, 0)
  const slotMap: number[] = []
  let borrower = 0
  for (const [i, officeId] of chosen.entries()) {
    let defs = eligible.filter(s => s.office === officeId)
    if (defs.length === 0) {
      defs = [0, 1, 2].map(j => eligible[(borrower * 3 + j) % eligible.length]!)
      defs = defs.filter((d, j) => defs.indexOf(d) === j)
      borrower++
    }
    const first = plan.length
    for (const def of defs) {
      const final = def.workflow.states.filter(s => s.final).map(s => s.id)
      const open = def.workflow.states.filter(s => !s.final).map(s => s.id)
      plan.push({
        officeId,
        serviceId: def.id,
        version: def.version,
        initial: def.workflow.initial,
        open: open.length ? open : final,
        final,
        staff: staffOf.get(officeId) ?? [],
        dueDays: approximateDays(def.processingDeadline),
        retentionYears: def.retention.years,
      })
    }
    const slots = Math.max(1, Math.round((weights[i]! / total) * SLOTS))
    for (let j = 0; j < slots; j++) slotMap.push(first + (j % defs.length))
  }
  return { plan, slotMap, officeIds: chosen, generatedOffices, generatedStaff }
}

const M = 2147483647
/** A well-mixed number for row n (two MINSTD steps), the same in SQL: every product stays below 2^53. */
const mix = (n: number) => (((n * 48271) % M) * 48271) % M

/** Row n of the generated cases, as the SQL of insertCasesInChunks makes it. */
function caseRow(plan: PlanEntry[], slotMap: number[], n: number, prefix: string, now: Date) {
  const p = plan[slotMap[n % slotMap.length]!]!
  const h = mix(n)
  const ageS = (n * 104729) % THREE_YEARS_S
  const submitted = new Date(now.getTime() - ageS * 1000)
  const r = h % 100
  const fin = p.final.length > 0 && (ageS > YOUNG_S ? r < 90 : r < 20)
  const states = fin ? p.final : p.open
  const status = states[Math.floor(h / 1000) % states.length]!
  const assignee =
    Math.floor(h / 100) % 100 < ASSIGNED_PERCENT && p.staff.length
      ? p.staff[Math.floor(h / 10000) % p.staff.length]!
      : null
  const given = n % GIVEN.length
  const family = Math.floor(n / GIVEN.length) % FAMILY.length
  const street = Math.floor(h / 7) % STREETS.length
  const updated = new Date(Math.min(now.getTime(), submitted.getTime() + (h % 30) * 86400_000))
  const address = {
    street: STREETS[street]!,
    houseNumber: String(1 + (Math.floor(h / 13) % HOUSE_NUMBERS)),
    postalCode: POSTCODES[street]!,
    city: 'Dortmund',
  }
  return {
    reference: `${prefix}${n}`,
    serviceId: p.serviceId,
    version: p.version,
    officeId: p.officeId,
    applicantName: `${GIVEN[given]} ${FAMILY[family]}`,
    applicantEmail: `${GIVEN_MAIL[given]}.${FAMILY_MAIL[family]}.${n}@example.org`,
    answers: JSON.stringify({ generated: true, anliegen: `Lasttest-Antrag ${n}`, anschrift: address }),
    status,
    assignee,
    submitted,
    updated,
    due: new Date(submitted.getTime() + p.dueDays * 86400_000),
    // Retention counts from closure (the last change of a closed case); an open case has no end yet.
    retainUntil: fin ? retentionEnd(updated, p.retentionYears) : null,
    locale: n % 10 === 0 ? 'en' : 'de',
    nextAlert: fin ? null : 'reminder',
  }
}

const COPY_COLUMNS =
  'id, reference, draft_id, service_id, service_version, office_id, applicant_name, applicant_email, answers, status, assignee_id, submitted_at, updated_at, due_at, retain_until, locale, next_alert'

/** COPY's text format: backslash, tab and line breaks escaped, \N for null. */
const copyText = (v: string | number | null) =>
  v === null
    ? '\\N'
    : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')

async function copyCases(
  databaseUrl: string,
  plan: PlanEntry[],
  slotMap: number[],
  count: number,
  prefix: string,
  now: Date,
  onProgress?: (done: number) => void,
) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    function* rows() {
      const lines: string[] = []
      for (let n = 1; n <= count; n++) {
        const c = caseRow(plan, slotMap, n, prefix, now)
        lines.push(
          [
            crypto.randomUUID(),
            c.reference,
            crypto.randomUUID(),
            c.serviceId,
            c.version,
            c.officeId,
            c.applicantName,
            c.applicantEmail,
            c.answers,
            c.status,
            c.assignee,
            c.submitted.toISOString(),
            c.updated.toISOString(),
            c.due.toISOString(),
            c.retainUntil,
            c.locale,
            c.nextAlert,
          ]
            .map(copyText)
            .join('\t'),
        )
        if (lines.length === 2000 || n === count) {
          yield `${lines.join('\n')}\n`
          lines.length = 0
          onProgress?.(n)
        }
      }
    }
    // One transaction: an interrupted load leaves nothing behind.
    await client.query('begin')
    await pipeline(Readable.from(rows()), client.query(copyFrom(`copy cases (${COPY_COLUMNS}) from stdin`)))
    await client.query('commit')
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    throw error
  } finally {
    await client.end()
  }
}

/** The first timeline entry of every generated case, as createCase writes it. */
async function insertSubmittedEvents(db: Db, plan: PlanEntry[], prefix: string) {
  const initials = sql.join(
    [...new Map(plan.map(p => [p.serviceId, p.initial])).entries()].map(
      ([id, initial]) => sql`(${id}::text, ${initial}::text)`,
    ),
  )
  await sql`
    insert into case_events (case_id, at, kind, internal, data, case_version)
    select c.id, c.submitted_at, 'submitted', false, jsonb_build_object('status', s.initial, 'onBehalf', false), 1
    from cases c join (values ${initials}) as s(service_id, initial) on s.service_id = c.service_id
    where c.reference like ${`${prefix.replace(/[\\%_]/g, '\\$&')}%`}`.execute(db)
}

/** The embedded database: the same rows as caseRow, made by the database itself, CHUNK per statement. */
async function insertCasesInChunks(
  db: Db,
  plan: PlanEntry[],
  slotMap: number[],
  count: number,
  prefix: string,
  now: Date,
  withEvents: boolean,
  onProgress?: (done: number) => void,
) {
  const planValues = sql.join(
    plan.map(
      (p, i) => sql`(${i}::int, ${p.officeId}::text, ${p.serviceId}::text, ${p.version}::int, ${p.initial}::text,
    ${sql.val(p.open)}::text[], ${sql.val(p.final)}::text[], ${sql.val(p.staff)}::text[], ${p.dueDays}::int, ${p.retentionYears}::int)`,
    ),
  )
  for (let from = 1; from <= count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK - 1)
    const ctes = sql`
      plan (idx, office_id, service_id, version, initial, open_states, final_states, staff, due_days, retention_years) as (values ${planValues}),
      numbered as (
        select n, p.*, (n::bigint * 104729) % ${THREE_YEARS_S} as age_s,
               (((n::bigint * 48271) % ${M}) * 48271) % ${M} as h
        from generate_series(${from}::int, ${to}::int) as n
        join plan p on p.idx = (${sql.val(slotMap)}::int[])[1 + n % ${slotMap.length}]
      ),
      decided as (
        select x.*, ${now}::timestamptz - x.age_s * interval '1 second' as submitted_at,
               cardinality(x.final_states) > 0 and case when x.age_s > ${YOUNG_S} then x.h % 100 < 90 else x.h % 100 < 20 end as fin
        from numbered x
      )`
    const insert = sql`
      insert into cases (id, reference, draft_id, service_id, service_version, office_id, applicant_name, applicant_email, answers, status, assignee_id,
                         submitted_at, updated_at, due_at, retain_until, locale, next_alert)
      select gen_random_uuid(), ${prefix} || n, gen_random_uuid(), service_id, version, office_id,
             (${sql.val(GIVEN)}::text[])[1 + n % ${GIVEN.length}] || ' ' || (${sql.val(FAMILY)}::text[])[1 + (n / ${GIVEN.length}) % ${FAMILY.length}],
             (${sql.val(GIVEN_MAIL)}::text[])[1 + n % ${GIVEN.length}] || '.' || (${sql.val(FAMILY_MAIL)}::text[])[1 + (n / ${GIVEN.length}) % ${FAMILY.length}] || '.' || n || '@example.org',
             jsonb_build_object('generated', true, 'anliegen', 'Lasttest-Antrag ' || n, 'anschrift', jsonb_build_object(
               'street', (${sql.val(STREETS)}::text[])[1 + (h / 7) % ${STREETS.length}], 'houseNumber', (1 + (h / 13) % ${HOUSE_NUMBERS})::text,
               'postalCode', (${sql.val(POSTCODES)}::text[])[1 + (h / 7) % ${STREETS.length}], 'city', 'Dortmund')),
             case when fin then final_states[1 + (h / 1000) % cardinality(final_states)] else open_states[1 + (h / 1000) % cardinality(open_states)] end,
             case when (h / 100) % 100 < ${ASSIGNED_PERCENT} and cardinality(staff) > 0 then staff[1 + (h / 10000) % cardinality(staff)]::uuid end,
             submitted_at, least(${now}::timestamptz, submitted_at + (h % 30) * interval '1 day'), submitted_at + due_days * interval '1 day',
             case when fin then ((least(${now}::timestamptz, submitted_at + (h % 30) * interval '1 day') at time zone 'UTC') + retention_years * interval '1 year')::date end,
             case when n % 10 = 0 then 'en' else 'de' end, case when fin then null else 'reminder' end
      from decided`
    if (withEvents) {
      const initials = sql.join(
        [...new Map(plan.map(p => [p.serviceId, p.initial])).entries()].map(
          ([id, initial]) => sql`(${id}::text, ${initial}::text)`,
        ),
      )
      await sql`
        with ${ctes}, added as (${insert} returning id, service_id, submitted_at)
        insert into case_events (case_id, at, kind, internal, data, case_version)
        select a.id, a.submitted_at, 'submitted', false, jsonb_build_object('status', s.initial, 'onBehalf', false), 1
        from added a join (values ${initials}) as s(service_id, initial) on s.service_id = a.service_id`.execute(db)
    } else {
      await sql`with ${ctes} ${insert}`.execute(db)
    }
    onProgress?.(to)
  }
}
