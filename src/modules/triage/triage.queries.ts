import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'

export type TriageKind = 'report' | 'contact'
export type ExampleSource = 'starter' | 'confirmed' | 'corrected'

export interface NewExample {
  kind: TriageKind
  text: string
  label: string
  office: string
  source: ExampleSource
  groupKey: string
  lang?: string | null
  staffId?: string | null
}

export async function insertExamples(db: Db | Trx, rows: NewExample[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('triage_examples')
      .values(
        rows.slice(i, i + 500).map(r => ({
          kind: r.kind,
          text: r.text,
          label: r.label,
          office: r.office,
          source: r.source,
          group_key: r.groupKey,
          lang: r.lang ?? null,
          confirmed_by_staff_id: r.staffId ?? null,
        })),
      )
      .execute()
  }
}

export async function countStarterExamples(db: Db | Trx, kind: TriageKind): Promise<number> {
  const row = await db
    .selectFrom('triage_examples')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', kind)
    .where('source', '=', 'starter')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function listExamples(db: Db | Trx, kind: TriageKind) {
  return db
    .selectFrom('triage_examples')
    .select(['text', 'label', 'office', 'source', 'group_key as groupKey', 'created_at as createdAt'])
    .where('kind', '=', kind)
    .orderBy('id')
    .execute()
}

/** Decisions of caseworkers recorded after the given moment (what the active model has not learned yet). */
export async function countDecisionsSince(db: Db | Trx, kind: TriageKind, since: Date | null): Promise<number> {
  let query = db
    .selectFrom('triage_examples')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', kind)
    .where('source', 'in', ['confirmed', 'corrected'])
  if (since) query = query.where('created_at', '>', since)
  return Number((await query.executeTakeFirstOrThrow()).n)
}

export function findActiveModelVersion(db: Db | Trx, kind: TriageKind) {
  return db
    .selectFrom('triage_models')
    .select(['version', 'created_at as createdAt'])
    .where('kind', '=', kind)
    .where('active', '=', true)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export function findModel(db: Db | Trx, kind: TriageKind, version: number) {
  return db
    .selectFrom('triage_models')
    .select(['version', 'meta', 'weights', 'active', 'created_at as createdAt'])
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst()
}

/** Stores a model as the next version of its kind; when activated, the one active before steps down. */
export async function insertModel(
  trx: Trx,
  input: { kind: TriageKind; meta: unknown; weights: Buffer; activate: boolean },
): Promise<number> {
  // Two retrainings at once take turns, so versions stay gapless and one model stays active.
  await sql`select pg_advisory_xact_lock(hashtext(${`triage:${input.kind}`}))`.execute(trx)
  const max = await trx
    .selectFrom('triage_models')
    .select(eb => eb.fn.max<number>('version').as('v'))
    .where('kind', '=', input.kind)
    .executeTakeFirst()
  const version = Number(max?.v ?? 0) + 1
  if (input.activate)
    await trx
      .updateTable('triage_models')
      .set({ active: false })
      .where('kind', '=', input.kind)
      .where('active', '=', true)
      .execute()
  await trx
    .insertInto('triage_models')
    .values({
      kind: input.kind,
      version,
      meta: JSON.stringify(input.meta),
      weights: input.weights,
      active: input.activate,
    })
    .execute()
  return version
}
