import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import type { InvolvementStatus } from '../../platform/db/schema.js'

export interface InvolvementFile {
  id: string
  filename: string
  mediaType: string
  sizeBytes: number
}

export interface Involvement {
  id: string
  caseId: string
  officeId: string
  task: string
  dueOn: string
  status: InvolvementStatus
  requestedAt: Date
  requestedByName: string | null
  statement: string
  statementSavedAt: Date | null
  statementSavedByName: string | null
  answeredAt: Date | null
  answeredByName: string | null
  withdrawnAt: Date | null
  withdrawnByName: string | null
  version: number
  files: InvolvementFile[]
}

const involvementColumns = [
  'i.id',
  'i.case_id as caseId',
  'i.office_id as officeId',
  'i.task',
  'i.due_on as dueOn',
  'i.status',
  'i.requested_at as requestedAt',
  'requester.name as requestedByName',
  'i.statement',
  'i.statement_saved_at as statementSavedAt',
  'saver.name as statementSavedByName',
  'i.answered_at as answeredAt',
  'answerer.name as answeredByName',
  'i.withdrawn_at as withdrawnAt',
  'withdrawer.name as withdrawnByName',
  'i.version',
] as const

function selectInvolvements(db: Db) {
  return db
    .selectFrom('case_involvements as i')
    .leftJoin('staff as requester', 'requester.id', 'i.requested_by_staff_id')
    .leftJoin('staff as saver', 'saver.id', 'i.statement_saved_by_staff_id')
    .leftJoin('staff as answerer', 'answerer.id', 'i.answered_by_staff_id')
    .leftJoin('staff as withdrawer', 'withdrawer.id', 'i.withdrawn_by_staff_id')
    .select(involvementColumns)
}

/** Every involvement of a case, oldest request first, each with its documents. */
export async function listInvolvementsOfCase(db: Db, caseId: string): Promise<Involvement[]> {
  const rows = await selectInvolvements(db)
    .where('i.case_id', '=', caseId)
    .orderBy('i.requested_at')
    .orderBy('i.id')
    .execute()
  const files = await listInvolvementFiles(
    db,
    rows.map(r => r.id),
  )
  return rows.map(r => ({ ...r, files: files.get(r.id) ?? [] }))
}

export async function findInvolvement(db: Db, caseId: string, involvementId: string): Promise<Involvement | undefined> {
  const row = await selectInvolvements(db)
    .where('i.id', '=', involvementId)
    .where('i.case_id', '=', caseId)
    .executeTakeFirst()
  if (!row) return undefined
  return { ...row, files: (await listInvolvementFiles(db, [row.id])).get(row.id) ?? [] }
}

/** Locks the involvement, after its case (always case first, then involvement: no deadlock between writers). */
export function lockInvolvement(trx: Trx, caseId: string, involvementId: string) {
  return trx
    .selectFrom('case_involvements')
    .select([
      'id',
      'office_id as officeId',
      'status',
      'version',
      'statement',
      'statement_saved_at as statementSavedAt',
      'statement_saved_by_staff_id as statementSavedByStaffId',
      'answered_by_staff_id as answeredByStaffId',
      'withdrawn_by_staff_id as withdrawnByStaffId',
    ])
    .where('id', '=', involvementId)
    .where('case_id', '=', caseId)
    .forUpdate()
    .executeTakeFirst()
}

/** Of the given offices, those involved in the case by a request that was not withdrawn. */
export async function listInvolvedOffices(db: Db, caseId: string, officeIds: string[]): Promise<string[]> {
  if (officeIds.length === 0) return []
  const rows = await db
    .selectFrom('case_involvements')
    .select('office_id')
    .distinct()
    .where('case_id', '=', caseId)
    .where('office_id', 'in', officeIds)
    .where('status', '!=', 'withdrawn')
    .execute()
  return rows.map(r => r.office_id)
}

/** Undefined when the office has an open request on the case already (the partial unique index decides, even in a race). */
export async function insertInvolvement(
  trx: Trx,
  input: { id: string; caseId: string; officeId: string; task: string; dueOn: string; staffId: string },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('case_involvements')
    .values({
      id: input.id,
      case_id: input.caseId,
      office_id: input.officeId,
      task: input.task,
      due_on: input.dueOn,
      requested_by_staff_id: input.staffId,
    })
    .onConflict(oc => oc.columns(['case_id', 'office_id']).where('status', '=', 'requested').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id
}

export function findOpenInvolvement(db: Db, caseId: string, officeId: string) {
  return db
    .selectFrom('case_involvements as i')
    .leftJoin('staff', 'staff.id', 'i.requested_by_staff_id')
    .select(['i.id', 'staff.name as requestedByName'])
    .where('i.case_id', '=', caseId)
    .where('i.office_id', '=', officeId)
    .where('i.status', '=', 'requested')
    .executeTakeFirst()
}

/** Saves the statement (a draft, or the answer); the involvement's version goes up by one. Returns the new version. */
export async function updateStatement(
  trx: Trx,
  involvementId: string,
  input: { text: string; staffId: string; answer: boolean },
): Promise<number> {
  const now = new Date()
  const row = await trx
    .updateTable('case_involvements')
    .set(eb => ({
      statement: input.text,
      statement_saved_by_staff_id: input.staffId,
      statement_saved_at: now,
      version: eb('version', '+', 1),
      ...(input.answer ? { status: 'answered' as const, answered_by_staff_id: input.staffId, answered_at: now } : {}),
    }))
    .where('id', '=', involvementId)
    .returning('version')
    .executeTakeFirstOrThrow()
  return row.version
}

export async function setInvolvementWithdrawn(trx: Trx, involvementId: string, staffId: string): Promise<void> {
  await trx
    .updateTable('case_involvements')
    .set(eb => ({
      status: 'withdrawn' as const,
      withdrawn_by_staff_id: staffId,
      withdrawn_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', involvementId)
    .execute()
}

export async function linkInvolvementFiles(trx: Trx, involvementId: string, fileIds: string[]): Promise<void> {
  if (fileIds.length === 0) return
  await trx
    .insertInto('case_involvement_files')
    .values(fileIds.map(fileId => ({ involvement_id: involvementId, file_id: fileId })))
    .execute()
}

/** Once answered, the statement's documents become files of the case: in its list of documents, kept as long as it is. */
export async function attachInvolvementFilesToCase(trx: Trx, involvementId: string, caseId: string): Promise<void> {
  await trx
    .updateTable('files')
    .set({ case_id: caseId })
    .where('id', 'in', eb =>
      eb.selectFrom('case_involvement_files').select('file_id').where('involvement_id', '=', involvementId),
    )
    .where('case_id', 'is', null)
    .execute()
}

async function listInvolvementFiles(db: Db, involvementIds: string[]): Promise<Map<string, InvolvementFile[]>> {
  const byInvolvement = new Map<string, InvolvementFile[]>()
  if (involvementIds.length === 0) return byInvolvement
  const rows = await db
    .selectFrom('case_involvement_files')
    .innerJoin('files', 'files.id', 'case_involvement_files.file_id')
    .select([
      'case_involvement_files.involvement_id as involvementId',
      'files.id',
      'files.filename',
      'files.media_type as mediaType',
      'files.size_bytes as sizeBytes',
    ])
    .where('case_involvement_files.involvement_id', 'in', involvementIds)
    .orderBy('files.created_at')
    .orderBy('files.id')
    .execute()
  for (const { involvementId, ...file } of rows)
    byInvolvement.set(involvementId, [...(byInvolvement.get(involvementId) ?? []), file])
  return byInvolvement
}

export function findInvolvementFile(db: Db, involvementId: string, fileId: string) {
  return db
    .selectFrom('case_involvement_files')
    .innerJoin('files', 'files.id', 'case_involvement_files.file_id')
    .select(['files.id', 'files.filename', 'files.media_type as mediaType', 'files.content'])
    .where('case_involvement_files.involvement_id', '=', involvementId)
    .where('files.id', '=', fileId)
    .executeTakeFirst()
}

export interface OfficeInvolvementRow {
  id: string
  caseId: string
  reference: string
  serviceId: string
  serviceVersion: number
  leadOfficeId: string
  officeId: string
  task: string
  dueOn: string
  status: InvolvementStatus
  requestedAt: Date
  answeredAt: Date | null
}

/** Requests to the offices, open ones first by due day, then the answered ones, newest first; withdrawn ones are gone. */
export function listInvolvementsOfOffices(db: Db, officeIds: string[], limit: number): Promise<OfficeInvolvementRow[]> {
  return db
    .selectFrom('case_involvements as i')
    .innerJoin('cases', 'cases.id', 'i.case_id')
    .select([
      'i.id',
      'i.case_id as caseId',
      'cases.reference',
      'cases.service_id as serviceId',
      'cases.service_version as serviceVersion',
      'cases.office_id as leadOfficeId',
      'i.office_id as officeId',
      'i.task',
      'i.due_on as dueOn',
      'i.status',
      'i.requested_at as requestedAt',
      'i.answered_at as answeredAt',
    ])
    .where('i.office_id', 'in', officeIds)
    .where('i.status', '!=', 'withdrawn')
    .orderBy(sql`case when i.status = 'requested' then 0 else 1 end`)
    .orderBy(sql`case when i.status = 'requested' then i.due_on end`, 'asc')
    .orderBy('i.answered_at', 'desc')
    .orderBy('i.id')
    .limit(limit)
    .execute() as Promise<OfficeInvolvementRow[]>
}

/** Open requests whose due day has passed and whose office was not reminded yet. */
export function listOverdueInvolvements(db: Db, today: string, limit: number) {
  return db
    .selectFrom('case_involvements as i')
    .innerJoin('cases', 'cases.id', 'i.case_id')
    .select([
      'i.id',
      'i.office_id as officeId',
      'i.due_on as dueOn',
      'i.task',
      'cases.id as caseId',
      'cases.reference',
      'cases.service_id as serviceId',
      'cases.office_id as leadOfficeId',
    ])
    .where('i.status', '=', 'requested')
    .where('i.due_on', '<', today)
    .where('i.reminded_at', 'is', null)
    .orderBy('i.due_on')
    .limit(limit)
    .execute() as Promise<
    {
      id: string
      officeId: string
      dueOn: string
      task: string
      caseId: string
      reference: string
      serviceId: string
      leadOfficeId: string
    }[]
  >
}

/** False when another sweep reminded the office first. */
export async function markInvolvementReminded(db: Db, involvementId: string): Promise<boolean> {
  const row = await db
    .updateTable('case_involvements')
    .set({ reminded_at: new Date() })
    .where('id', '=', involvementId)
    .where('reminded_at', 'is', null)
    .where('status', '=', 'requested')
    .returning('id')
    .executeTakeFirst()
  return !!row
}

/** For the deadlines page: overdue statements the office owes others, and those other offices owe its cases. */
export async function countOverdueInvolvements(
  db: Db,
  officeId: string,
  today: string,
): Promise<{ owed: number; awaited: number }> {
  const row = await db
    .selectFrom('case_involvements as i')
    .innerJoin('cases', 'cases.id', 'i.case_id')
    .select([
      sql<number>`count(*) filter (where i.office_id = ${officeId})::int`.as('owed'),
      sql<number>`count(*) filter (where cases.office_id = ${officeId})::int`.as('awaited'),
    ])
    .where('i.status', '=', 'requested')
    .where('i.due_on', '<', today)
    .where(eb => eb.or([eb('i.office_id', '=', officeId), eb('cases.office_id', '=', officeId)]))
    .executeTakeFirstOrThrow()
  return { owed: row.owed, awaited: row.awaited }
}
