import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Trx } from '../../platform/db/database.js'
import { isUuid } from '../../platform/http/ids.js'

export interface NewReportRow {
  id: string
  caseId: string
  categoryCode: string
  description: string
  lat: number | null
  lon: number | null
  gridCell: number | null
  address: string | null
  state: string
  sensitive: boolean
  photoMetadataKept: boolean
  contactName: string | null
  contactEmail: string | null
  contactPhone: string | null
  accountId: string | null
  locale: string
  source: 'web' | 'open311'
  apiKeyId: string | null
  idempotencyKey: string | null
}

export async function insertReport(trx: Trx, r: NewReportRow): Promise<void> {
  await trx
    .insertInto('reports')
    .values({
      id: r.id,
      case_id: r.caseId,
      category_code: r.categoryCode,
      description: r.description,
      lat: r.lat,
      lon: r.lon,
      grid_cell: r.gridCell,
      address: r.address,
      state: r.state,
      sensitive: r.sensitive,
      photo_metadata_kept: r.photoMetadataKept,
      contact_name: r.contactName,
      contact_email: r.contactEmail,
      contact_phone: r.contactPhone,
      account_id: r.accountId,
      locale: r.locale,
      source: r.source,
      api_key_id: r.apiKeyId,
      idempotency_key: r.idempotencyKey,
    })
    .execute()
}

export async function insertReportPhoto(trx: Trx, reportId: string, position: number, fileId: string): Promise<void> {
  await trx.insertInto('report_photos').values({ report_id: reportId, position, file_id: fileId }).execute()
}

/** The report a retried submission already made: same source, same client, same key. */
export function findReportByIdempotencyKey(db: Db, source: 'web' | 'open311', apiKeyId: string | null, key: string) {
  return db
    .selectFrom('reports')
    .innerJoin('cases', 'cases.id', 'reports.case_id')
    .select(['reports.id', 'reports.case_id as caseId', 'cases.reference'])
    .where('reports.source', '=', source)
    .where('reports.idempotency_key', '=', key)
    .where(sql<string>`coalesce(reports.api_key_id::text, '')`, '=', apiKeyId ?? '')
    .executeTakeFirst()
}

/** What the public list is made from: never names or contact details (they are not even selected). */
function publicColumns(db: Db) {
  return db
    .selectFrom('reports')
    .innerJoin('cases', 'cases.id', 'reports.case_id')
    .innerJoin('offices', 'offices.id', 'cases.office_id')
    .select([
      'reports.id',
      'cases.reference',
      'offices.name_de as agency',
      'reports.category_code as categoryCode',
      'reports.public_status as status',
      'reports.state',
      'reports.description',
      'reports.address',
      'reports.lat',
      'reports.lon',
      'reports.sensitive',
      'reports.created_at as requestedAt',
      'reports.updated_at as updatedAt',
      'reports.closed_at as closedAt',
      'cases.office_id as officeId',
      'reports.photos_reviewed_at as photosReviewedAt',
      eb =>
        eb
          .selectFrom('report_photos')
          .select(e => e.fn.countAll<number>().as('n'))
          .whereRef('report_photos.report_id', '=', 'reports.id')
          .as('photoCount'),
    ])
}
export type PublicReportRow = Awaited<ReturnType<ReturnType<typeof publicColumns>['execute']>>[number]

export interface PublicFilter {
  ids?: string[]
  codes?: string[]
  status?: 'open' | 'closed'
  start?: Date
  end?: Date
  closedSince?: Date
  limit: number
}

export function listPublicReportRows(db: Db, filter: PublicFilter): Promise<PublicReportRow[]> {
  let query = publicColumns(db)
    .orderBy('reports.created_at', 'desc')
    .orderBy('reports.id', 'desc')
    .limit(Math.max(1, Math.min(filter.limit, 1000)))
  if (filter.ids) {
    // Ids are report ids or case references (DO-2026-000123); only a uuid may meet the uuid column.
    const uuids = filter.ids.filter(isUuid)
    const references = filter.ids.filter(id => !isUuid(id))
    if (uuids.length === 0 && references.length === 0) return Promise.resolve([])
    query = query.where(eb =>
      eb.or([
        ...(uuids.length ? [eb('reports.id', 'in', uuids)] : []),
        ...(references.length ? [eb('cases.reference', 'in', references)] : []),
      ]),
    )
  }
  if (filter.codes?.length) query = query.where('reports.category_code', 'in', filter.codes)
  if (filter.status) query = query.where('reports.public_status', '=', filter.status)
  if (filter.start) query = query.where('reports.created_at', '>=', filter.start)
  if (filter.end) query = query.where('reports.created_at', '<=', filter.end)
  if (filter.closedSince) query = query.where('reports.closed_at', '>=', filter.closedSince)
  return query.execute()
}

/** Open reports of a category in the given ranges of grid cells (index reports_near). */
export function listOpenReportsInCells(
  db: Db,
  categoryCode: string,
  ranges: [number, number][],
): Promise<PublicReportRow[]> {
  return publicColumns(db)
    .where('reports.category_code', '=', categoryCode)
    .where('reports.public_status', '=', 'open')
    .where(eb => eb.or(ranges.map(([from, to]) => eb.between('reports.grid_cell', from, to))))
    .limit(500)
    .execute()
}

export function findReportOfCase(db: Db, caseId: string) {
  return db.selectFrom('reports').selectAll().where('case_id', '=', caseId).executeTakeFirst()
}
export type ReportRecord = NonNullable<Awaited<ReturnType<typeof findReportOfCase>>>

export function findReportByReference(db: Db, reference: string) {
  return db
    .selectFrom('reports')
    .innerJoin('cases', 'cases.id', 'reports.case_id')
    .select(['reports.id', 'reports.case_id as caseId', 'cases.reference'])
    .where('cases.reference', '=', reference)
    .executeTakeFirst()
}

export function listReportPhotos(db: Db, reportId: string) {
  return db
    .selectFrom('report_photos')
    .select(['position', 'file_id as fileId'])
    .where('report_id', '=', reportId)
    .orderBy('position')
    .execute()
}

/** A photo for the public: only of a report whose photos were reviewed and that is not sensitive. */
export function findPublicPhoto(db: Db, reference: string, position: number) {
  return db
    .selectFrom('report_photos')
    .innerJoin('reports', 'reports.id', 'report_photos.report_id')
    .innerJoin('cases', 'cases.id', 'reports.case_id')
    .innerJoin('files', 'files.id', 'report_photos.file_id')
    .select(['files.content'])
    .where('cases.reference', '=', reference)
    .where('report_photos.position', '=', position)
    .where('reports.photos_reviewed_at', 'is not', null)
    .where('reports.sensitive', '=', false)
    .executeTakeFirst()
}

export async function setReportState(trx: Trx, caseId: string, state: string, closed: boolean): Promise<void> {
  const now = new Date()
  await trx
    .updateTable('reports')
    .set({ state, public_status: closed ? 'closed' : 'open', closed_at: closed ? now : null, updated_at: now })
    .where('case_id', '=', caseId)
    .execute()
}

export function listFollowers(db: Db, reportId: string) {
  return db
    .selectFrom('report_followers')
    .leftJoin('accounts', 'accounts.id', 'report_followers.account_id')
    .select([
      'report_followers.id',
      'report_followers.email',
      'accounts.email as accountEmail',
      'report_followers.locale',
      'report_followers.account_id as accountId',
      'report_followers.unsubscribe_token as unsubscribeToken',
    ])
    .where('report_followers.report_id', '=', reportId)
    .execute()
}

export async function countFollowers(db: Db, reportId: string): Promise<number> {
  const row = await db
    .selectFrom('report_followers')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('report_id', '=', reportId)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Follows a report with an account; undefined when the account follows it already. */
export function insertAccountFollower(trx: Trx, reportId: string, accountId: string, locale: string, token: string) {
  return trx
    .insertInto('report_followers')
    .values({
      id: crypto.randomUUID(),
      report_id: reportId,
      account_id: accountId,
      email: null,
      locale,
      unsubscribe_token: token,
    })
    .onConflict(oc => oc.columns(['report_id', 'account_id']).where('account_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst()
}

/** Follows a report with an e-mail address; undefined when that address (in any case) follows it already. */
export async function insertEmailFollower(trx: Trx, reportId: string, email: string, locale: string, token: string) {
  const existing = await trx
    .selectFrom('report_followers')
    .select('id')
    .where('report_id', '=', reportId)
    .where(eb => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst()
  if (existing) return undefined
  return trx
    .insertInto('report_followers')
    .values({ id: crypto.randomUUID(), report_id: reportId, account_id: null, email, locale, unsubscribe_token: token })
    .returning('id')
    .executeTakeFirst()
}

export async function deleteAccountFollower(trx: Trx, reportId: string, accountId: string): Promise<void> {
  await trx
    .deleteFrom('report_followers')
    .where('report_id', '=', reportId)
    .where('account_id', '=', accountId)
    .execute()
}

export function findReportReference(db: Db, reportId: string) {
  return db
    .selectFrom('reports')
    .innerJoin('cases', 'cases.id', 'reports.case_id')
    .select('cases.reference')
    .where('reports.id', '=', reportId)
    .executeTakeFirst()
}

export function deleteFollowerByToken(db: Db, token: string) {
  return db
    .deleteFrom('report_followers')
    .where('unsubscribe_token', '=', token)
    .returning(['id', 'account_id as accountId', 'report_id as reportId'])
    .executeTakeFirst()
}

/** Adds one to a client's count in a rate-limit window and returns the new count. */
export async function countInRateWindow(trx: Trx, clientKey: string, windowStart: Date): Promise<number> {
  const row = await trx
    .insertInto('report_rate_limits')
    .values({ client_key: clientKey, window_start: windowStart, count: 1 })
    .onConflict(oc =>
      oc.columns(['client_key', 'window_start']).doUpdateSet({ count: sql`report_rate_limits.count + 1` }),
    )
    .returning('count')
    .executeTakeFirstOrThrow()
  return row.count
}

export async function deleteRateWindowsBefore(trx: Trx, before: Date): Promise<void> {
  await trx.deleteFrom('report_rate_limits').where('window_start', '<', before).execute()
}
