import { sql } from 'kysely'
import type { AssuranceLevel } from '../../platform/auth/assurance.js'
import type { Db, Trx } from '../../platform/db/database.js'
import { isUuid } from '../../platform/http/ids.js'
import { announceCaseChange } from './cases.live.js'
import type { RepresentedRelation } from '../../platform/db/schema.js'
import { caseScopeOf, caseVisibleTo } from '../mandates/index.js'

export const INBOX_PAGE_SIZE = 50

export interface InboxCursor {
  submittedAt: Date
  id: string
}

export interface InboxFilter {
  officeId: string
  serviceId?: string
  status?: string
  /** me: assigned to the given staff member; unassigned: nobody's yet. */
  assignee?: 'me' | 'unassigned' | 'any'
  staffId: string
  /**
   * The states that end a case, as (service, status) pairs: a status id means "final" only in its own service's
   * workflow. An overdue case is one not in such a state after its due date.
   */
  overdue?: { finalStates: { serviceId: string; status: string }[] }
}

export interface InboxRow {
  id: string
  reference: string
  serviceId: string
  serviceVersion: number
  applicantName: string
  status: string
  assigneeName: string | null
  dueAt: Date | null
  submittedAt: Date
}

/** One page of an office's inbox, newest first; keyset, not OFFSET: page 2,000 costs what page 1 costs. */
export function listInboxPage(db: Db, filter: InboxFilter, after?: InboxCursor): Promise<InboxRow[]> {
  let query = db
    .selectFrom('cases')
    .leftJoin('staff', 'staff.id', 'cases.assignee_id')
    .select([
      'cases.id',
      'cases.reference',
      'cases.service_id as serviceId',
      'cases.service_version as serviceVersion',
      'cases.applicant_name as applicantName',
      'cases.status',
      'staff.name as assigneeName',
      'cases.due_at as dueAt',
      'cases.submitted_at as submittedAt',
    ])
    .where('cases.office_id', '=', filter.officeId)
    .orderBy('cases.submitted_at', 'desc')
    .orderBy('cases.id', 'desc')
    .limit(INBOX_PAGE_SIZE + 1)
  if (filter.serviceId) query = query.where('cases.service_id', '=', filter.serviceId)
  if (filter.status) query = query.where('cases.status', '=', filter.status)
  if (filter.assignee === 'me') query = query.where('cases.assignee_id', '=', filter.staffId)
  if (filter.assignee === 'unassigned') query = query.where('cases.assignee_id', 'is', null)
  if (filter.overdue) {
    query = query.where('cases.due_at', '<', new Date())
    const final = filter.overdue.finalStates
    // One array test per row ("service:status"), which the server hashes, rather than a pair comparison per final state.
    if (final.length)
      query = query.where(
        sql<boolean>`cases.service_id || ':' || cases.status <> all(${sql.val(final.map(f => `${f.serviceId}:${f.status}`))}::text[])`,
      )
  }
  if (after) {
    query = query.where(eb =>
      eb(eb.refTuple('cases.submitted_at', 'cases.id'), '<', eb.tuple(after.submittedAt, after.id)),
    )
  }
  return query.execute() as Promise<InboxRow[]>
}

const caseColumns = [
  'cases.id',
  'cases.reference',
  'cases.service_id as serviceId',
  'cases.service_version as serviceVersion',
  'cases.office_id as officeId',
  'cases.account_id as accountId',
  'cases.filed_by_staff_id as filedByStaffId',
  'cases.applicant_name as applicantName',
  'cases.applicant_email as applicantEmail',
  'cases.answers',
  'cases.status',
  'cases.assignee_id as assigneeId',
  'cases.submitted_at as submittedAt',
  'cases.updated_at as updatedAt',
  'cases.due_at as dueAt',
  'cases.clock_stopped_at as clockStoppedAt',
  'cases.locale',
  'cases.version',
  'cases.assurance',
  'cases.identity_provider as identityProvider',
  'cases.acted_by_name as actedByName',
  'cases.represented_name as representedName',
  'cases.represented_relation as representedRelation',
] as const

export interface CaseRecord {
  id: string
  reference: string
  serviceId: string
  serviceVersion: number
  officeId: string
  accountId: string | null
  filedByStaffId: string | null
  applicantName: string
  applicantEmail: string | null
  answers: Record<string, unknown>
  status: string
  assigneeId: string | null
  assigneeName: string | null
  submittedAt: Date
  updatedAt: Date
  dueAt: Date | null
  locale: string
  /** Set while the office waits for documents: the deadline stands still. */
  clockStoppedAt: Date | null
  /** Raised by every change; forms send it back so a stale page cannot overwrite a newer change. */
  version: number
  /** The submitter's eIDAS level of assurance; null when filed at the counter (identified there in person). */
  assurance: AssuranceLevel | null
  /** The identity provider the submitter signed in with; null for a password or no sign-in. */
  identityProvider: string | null
  /** Acting on behalf (docs/mandates.md): who acted for whom; null when the account applied for itself. */
  actedByName: string | null
  representedName: string | null
  representedRelation: RepresentedRelation | null
}

function parseAnswers(value: unknown): Record<string, unknown> {
  return (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Record<string, unknown>
}

export async function findCase(db: Db, caseId: string): Promise<CaseRecord | undefined> {
  const row = await db
    .selectFrom('cases')
    .leftJoin('staff', 'staff.id', 'cases.assignee_id')
    .select([...caseColumns, 'staff.name as assigneeName'])
    .where('cases.id', '=', caseId)
    .executeTakeFirst()
  return row ? { ...row, answers: parseAnswers(row.answers) } : undefined
}

/** Locks the case row so two people acting at once are serialised (claim, transition). */
export async function lockCase(trx: Trx, caseId: string) {
  return trx
    .selectFrom('cases')
    .select([
      'id',
      'reference',
      'service_id as serviceId',
      'service_version as serviceVersion',
      'office_id as officeId',
      'account_id as accountId',
      'applicant_email as applicantEmail',
      'status',
      'assignee_id as assigneeId',
      'locale',
      'version',
    ])
    .where('id', '=', caseId)
    .forUpdate()
    .executeTakeFirst()
}

export async function setAssignee(trx: Trx, caseId: string, staffId: string | null) {
  await trx
    .updateTable('cases')
    .set({ assignee_id: staffId, updated_at: new Date() })
    .where('id', '=', caseId)
    .execute()
}

/**
 * A new state, and with it the end of retention: a final state starts the service's retention period
 * (`retainUntil`, from retentionEnd), any other state clears it (null), so an open or reopened case never expires.
 */
export async function setStatus(trx: Trx, caseId: string, status: string, retainUntil: string | null) {
  await trx
    .updateTable('cases')
    .set({ status, retain_until: retainUntil, updated_at: new Date() })
    .where('id', '=', caseId)
    .execute()
}

/** Hands a case to another office's inbox (a defect report re-routed by its category), unassigned. */
export async function moveCaseToOffice(trx: Trx, caseId: string, officeId: string) {
  await trx
    .updateTable('cases')
    .set({ office_id: officeId, assignee_id: null, updated_at: new Date() })
    .where('id', '=', caseId)
    .execute()
}

export function findStaffName(db: Db, staffId: string) {
  return db.selectFrom('staff').select('name').where('id', '=', staffId).executeTakeFirst()
}

export type CaseEventKind =
  | 'submitted'
  | 'claimed'
  | 'assigned'
  | 'transition'
  | 'note'
  | 'message_sent'
  | 'message_received'
  | 'fee_notice_issued'
  | 'fee_notice_cancelled'
  | 'payment_refunded'
  | 'deadline_escalated'
  | 'deadline_resumed'
  | 'documents_requested'
  | 'documents_provided'
  | 'payment_paid'
  | 'involvement_requested'
  | 'involvement_answered'
  | 'involvement_withdrawn'
  | 'notice_signed'
  | 'report_category_changed'
  | 'report_category_confirmed'
  | 'report_photos_published'
  | 'report_photos_withdrawn'
  | 'contact_routed'
  | 'contact_forwarded'
  | 'contact_confirmed'
  | 'video_call_started'
  | 'video_call_ended'
  | 'video_identity_checked'
  | 'video_document_filed'

export interface NewCaseEvent {
  caseId: string
  kind: CaseEventKind
  internal: boolean
  actorStaffId?: string | null
  actorAccountId?: string | null
  data?: Record<string, unknown>
}

/**
 * Records a change on the case's timeline. Every change of a case is such an entry, so this is also where the
 * case's version is raised (under the row lock of the update) and where the change is announced live to
 * everyone who has the case open, in the caller's transaction: only a committed change is announced.
 * Returns the case's new version.
 */
export async function insertCaseEvent(db: Db, event: NewCaseEvent): Promise<number> {
  const bumped = await db
    .updateTable('cases')
    .set(eb => ({ version: eb('version', '+', 1) }))
    .where('id', '=', event.caseId)
    .returning('version')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('case_events')
    .values({
      case_id: event.caseId,
      kind: event.kind,
      internal: event.internal,
      actor_staff_id: event.actorStaffId ?? null,
      actor_account_id: event.actorAccountId ?? null,
      data: JSON.stringify(event.data ?? {}),
      case_version: bumped.version,
    })
    .execute()
  const by = event.actorStaffId ? ((await findStaffName(db, event.actorStaffId))?.name ?? null) : null
  await announceCaseChange(db, event.caseId, {
    version: bumped.version,
    by,
    byApplicant: !event.actorStaffId && !!event.actorAccountId,
    what: event.kind,
  })
  return bumped.version
}

export interface CaseEvent {
  id: number
  at: Date
  kind: string
  internal: boolean
  actorStaffName: string | null
  byApplicant: boolean
  data: Record<string, unknown>
  caseVersion: number | null
}

export async function listCaseEvents(
  db: Db,
  caseId: string,
  opts: { publicOnly: boolean; afterVersion?: number },
): Promise<CaseEvent[]> {
  let query = db
    .selectFrom('case_events')
    .leftJoin('staff', 'staff.id', 'case_events.actor_staff_id')
    .select([
      'case_events.id',
      'case_events.at',
      'case_events.kind',
      'case_events.internal',
      'staff.name as actorStaffName',
      'case_events.actor_account_id as actorAccountId',
      'case_events.data',
      'case_events.case_version as caseVersion',
    ])
    .where('case_events.case_id', '=', caseId)
    .orderBy('case_events.id', 'asc')
  if (opts.publicOnly) query = query.where('case_events.internal', '=', false)
  // The changes made since a page was rendered, for the conflict message.
  if (opts.afterVersion !== undefined) query = query.where('case_events.case_version', '>', opts.afterVersion)
  const rows = await query.execute()
  return rows.map(r => ({
    id: r.id,
    at: r.at,
    kind: r.kind,
    internal: r.internal,
    actorStaffName: r.actorStaffName,
    byApplicant: !!r.actorAccountId && !r.actorStaffName,
    data: parseAnswers(r.data),
    caseVersion: r.caseVersion,
  }))
}

/** The case's current version, e.g. for a live subscriber to learn whether it missed a change. */
export async function findCaseVersion(db: Db, caseId: string): Promise<number | undefined> {
  return (await db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirst())?.version
}

export function listCaseFiles(db: Db, caseId: string) {
  return db
    .selectFrom('files')
    .select([
      'id',
      'filename',
      'media_type as mediaType',
      'size_bytes as sizeBytes',
      'created_at as createdAt',
      'uploaded_by_account_id as uploadedByAccountId',
      'uploaded_by_staff_id as uploadedByStaffId',
    ])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute()
}

export function findCaseFile(db: Db, caseId: string, fileId: string) {
  return db
    .selectFrom('files')
    .select(['id', 'filename', 'media_type as mediaType', 'content'])
    .where('case_id', '=', caseId)
    .where('id', '=', fileId)
    .executeTakeFirst()
}

/**
 * A file of one of the account's cases that the applicant has seen: one of the application, one they sent, or
 * one sent to them with a message. Files only staff work with (another office's statement, internal documents)
 * are not theirs to fetch, even by id. With the case's office for the audit row.
 */
export async function findFileOfAccountCase(db: Db, accountId: string, fileId: string) {
  const scope = await caseScopeOf(db, accountId)
  return db
    .selectFrom('files')
    .innerJoin('cases', 'cases.id', 'files.case_id')
    .select([
      'files.id',
      'files.filename',
      'files.media_type as mediaType',
      'files.content',
      'cases.id as caseId',
      'cases.office_id as officeId',
    ])
    .where('files.id', '=', fileId)
    .where(eb => caseVisibleTo(eb, scope))
    .where(eb =>
      eb.or([
        eb('files.draft_id', 'is not', null),
        // Whoever acted for the applicant uploaded it; those who may see the case may see what was sent with it.
        eb('files.uploaded_by_account_id', 'is not', null),
        eb.exists(
          eb
            .selectFrom('message_files')
            .innerJoin('messages', 'messages.id', 'message_files.message_id')
            .select('message_files.file_id')
            .whereRef('message_files.file_id', '=', 'files.id')
            .whereRef('messages.case_id', '=', 'cases.id'),
        ),
      ]),
    )
    .executeTakeFirst()
}

/** People who may be given a case of the office: its caseworkers and team leads. */
export function listOfficeCaseworkers(db: Db, officeId: string) {
  return db
    .selectFrom('staff')
    .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
    .select(['staff.id', 'staff.name'])
    .where('staff_roles.office_id', '=', officeId)
    .where('staff_roles.role', 'in', ['caseworker', 'team_lead'])
    .distinct()
    .orderBy('staff.name')
    .execute()
}

/** Open cases (not in one of their service's final states) whose deadline ends before `before`, soonest first. */
/**
 * Cases that owe an alert by `before`: a reminder, or an escalation once the deadline has passed. Closed cases
 * are among them until the sweep clears them (it knows the workflows); each is visited once.
 */
export function listCasesDueBefore(db: Db, before: Date, limit: number, now: Date) {
  return (
    db
      .selectFrom('cases')
      .leftJoin('staff', 'staff.id', 'cases.assignee_id')
      .select([
        'cases.id',
        'cases.reference',
        'cases.service_id as serviceId',
        'cases.service_version as serviceVersion',
        'cases.office_id as officeId',
        'cases.status',
        'cases.due_at as dueAt',
        'cases.assignee_id as assigneeId',
        'staff.email as assigneeEmail',
        'staff.name as assigneeName',
      ])
      // The conditions of the partial index cases_next_alert, so that it is used.
      .where('cases.next_alert', 'is not', null)
      .where('cases.clock_stopped_at', 'is', null)
      .where('cases.due_at', '<', before)
      .where(eb => eb.or([eb('cases.next_alert', '=', 'reminder'), eb('cases.due_at', '<=', now)]))
      .orderBy('cases.due_at')
      .limit(limit)
      .execute()
  )
}

/** Closed cases owe no alerts. */
export async function clearNextAlert(db: Db, caseIds: string[]): Promise<void> {
  if (caseIds.length) await db.updateTable('cases').set({ next_alert: null }).where('id', 'in', caseIds).execute()
}

export interface DeadlineCounts {
  assigneeId: string | null
  assigneeName: string | null
  overdue: number
  dueSoon: number
  stopped: number
}

/** An office's open cases with a deadline, per assignee: how many are overdue, due before `horizon`, or stand still. */
export async function countDeadlinesByAssignee(
  db: Db,
  officeId: string,
  finalStatuses: string[],
  now: Date,
  horizon: Date,
): Promise<DeadlineCounts[]> {
  let query = db
    .selectFrom('cases')
    .leftJoin('staff', 'staff.id', 'cases.assignee_id')
    .select([
      'cases.assignee_id as assigneeId',
      'staff.name as assigneeName',
      sql<number>`count(*) filter (where cases.clock_stopped_at is null and cases.due_at <= ${now})::int`.as('overdue'),
      sql<number>`count(*) filter (where cases.clock_stopped_at is null and cases.due_at > ${now} and cases.due_at < ${horizon})::int`.as(
        'dueSoon',
      ),
      sql<number>`count(*) filter (where cases.clock_stopped_at is not null)::int`.as('stopped'),
    ])
    .where('cases.office_id', '=', officeId)
    .where('cases.due_at', 'is not', null)
  if (finalStatuses.length) query = query.where('cases.status', 'not in', finalStatuses)
  const rows = await query.groupBy(['cases.assignee_id', 'staff.name']).orderBy('staff.name').execute()
  return rows.filter(r => r.overdue || r.dueSoon || r.stopped)
}

export function listOfficeTeamLeads(db: Db, officeId: string) {
  return db
    .selectFrom('staff')
    .innerJoin('staff_roles', 'staff_roles.staff_id', 'staff.id')
    .select(['staff.id', 'staff.email', 'staff.name'])
    .where('staff_roles.office_id', '=', officeId)
    .where('staff_roles.role', '=', 'team_lead')
    .orderBy('staff.name')
    .execute()
}

/** Records that an alert went out; false when it already had (the sweep ran before, or runs twice at once). */
export async function recordDeadlineAlert(
  db: Db,
  caseId: string,
  kind: 'reminder' | 'escalation',
  dueAt: Date,
): Promise<boolean> {
  const row = await db
    .insertInto('deadline_alerts')
    .values({ case_id: caseId, kind, due_at: dueAt })
    .onConflict(oc => oc.columns(['case_id', 'kind', 'due_at']).doNothing())
    .returning('case_id')
    .executeTakeFirst()
  // Also when another sweep recorded it first: the case then owes the next alert, or none (same due_at only).
  await db
    .updateTable('cases')
    .set({ next_alert: kind === 'reminder' ? 'escalation' : null })
    .where('id', '=', caseId)
    .where('due_at', '=', dueAt)
    .execute()
  return !!row
}

export async function isOfficeCaseworker(db: Db, officeId: string, staffId: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_roles')
    .select('staff_id')
    .where('office_id', '=', officeId)
    .where('staff_id', '=', staffId)
    .where('role', 'in', ['caseworker', 'team_lead'])
    .executeTakeFirst()
  return !!row
}

/** The cases of "Meine Anträge": every case the account may see (caseVisibleTo), with who acted for whom. */
export async function listCasesOfAccount(db: Db, accountId: string) {
  const scope = await caseScopeOf(db, accountId)
  return db
    .selectFrom('cases')
    .select([
      'id',
      'reference',
      'service_id as serviceId',
      'service_version as serviceVersion',
      'status',
      'submitted_at as submittedAt',
      'account_id as accountId',
      'acted_by_name as actedByName',
      'represented_name as representedName',
      'represented_relation as representedRelation',
    ])
    .where(eb => caseVisibleTo(eb, scope))
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute()
}

/**
 * An account's own applications with their answers, for what the account computes for the person alone (suggestions
 * of what comes next): the cases the account applied for itself (not for others), newest first. `closedAt` is the last change of state, which
 * for a case in a final state is when it was decided.
 */
export function listOwnCasesWithAnswers(db: Db, accountId: string) {
  return (
    db
      .selectFrom('cases')
      .select(eb => [
        'cases.id',
        'cases.reference',
        'cases.service_id as serviceId',
        'cases.service_version as serviceVersion',
        'cases.status',
        'cases.answers',
        'cases.submitted_at as submittedAt',
        eb
          .selectFrom('case_events')
          .select(e => e.fn.max('case_events.at').as('at'))
          .whereRef('case_events.case_id', '=', 'cases.id')
          .where('case_events.kind', '=', 'transition')
          .as('closedAt'),
      ])
      .where('cases.account_id', '=', accountId)
      // Made for someone else (a child, a ward, a company): their events, not this person's.
      .where('cases.mandate_id', 'is', null)
      .where('cases.business_account_id', 'is', null)
      .orderBy('cases.submitted_at', 'desc')
      .orderBy('cases.id', 'desc')
      .limit(500)
      .execute()
  )
}

/** Cases of a service in one of the given states, oldest first, for work the platform does on its own (recurring fees). */
export async function listCaseIdsInStatus(
  db: Db,
  serviceId: string,
  statuses: string[],
  after: string | null,
  limit: number,
): Promise<string[]> {
  let query = db.selectFrom('cases').select('id').where('service_id', '=', serviceId).where('status', 'in', statuses)
  if (after) query = query.where('id', '>', after)
  const rows = await query.orderBy('id').limit(limit).execute()
  return rows.map(r => r.id)
}

/**
 * A case the account may see (caseVisibleTo: its own, under an active mandate, made for it, or its company's), read
 * with the scope of this moment: a revoked mandate or a removed member finds nothing at once.
 */
export async function findCaseOfAccount(db: Db, accountId: string, caseId: string): Promise<CaseRecord | undefined> {
  const scope = await caseScopeOf(db, accountId)
  const row = await db
    .selectFrom('cases')
    .leftJoin('staff', 'staff.id', 'cases.assignee_id')
    .select([...caseColumns, 'staff.name as assigneeName'])
    .where('cases.id', '=', caseId)
    .where(eb => caseVisibleTo(eb, scope))
    .executeTakeFirst()
  return row ? { ...row, answers: parseAnswers(row.answers) } : undefined
}

/** References of the cases an audit page mentions, to show "DO-2026-000123" rather than a uuid. */
export async function findCaseReferences(db: Db, caseIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(caseIds.filter(id => isUuid(id)))]
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('cases').select(['id', 'reference']).where('id', 'in', ids).execute()
  return new Map(rows.map(r => [r.id, r.reference]))
}

/** The id of the case with this reference, so the log can be searched by what people read on paper. */
export async function findCaseIdByReference(db: Db, reference: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where('reference', '=', reference.trim().toUpperCase())
    .executeTakeFirst()
  return row?.id
}

/** A note edited in the case file: the timeline shows its current text (every version stays in the file). */
export async function setNoteEventText(db: Db, caseId: string, documentId: string, text: string): Promise<void> {
  await db
    .updateTable('case_events')
    .set({ data: sql<string>`data || jsonb_build_object('text', ${text}::text, 'edited', true)` })
    .where('case_id', '=', caseId)
    .where('kind', '=', 'note')
    .where(sql<string>`data ->> 'documentId'`, '=', documentId)
    .execute()
  // The timeline others have open changes too; an edit overwrites nothing of the case, so its version stays.
  await announceCaseChange(db, caseId, {
    version: (await findCaseVersion(db, caseId)) ?? 0,
    by: null,
    what: 'note_edited',
    minor: true,
  })
}
