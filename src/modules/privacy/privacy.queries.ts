import type { Db, Trx } from '../../platform/db/database.js'

const exportColumns = [
  'id',
  'account_id as accountId',
  'requested_by_staff_id as requestedByStaffId',
  'status',
  'locale',
  'requested_at as requestedAt',
  'ready_at as readyAt',
  'expires_at as expiresAt',
  'size_bytes as sizeBytes',
] as const

export function insertExport(
  db: Db | Trx,
  row: { id: string; accountId: string; staffId: string | null; locale: string; requestedAt: Date },
) {
  return db
    .insertInto('privacy_exports')
    .values({
      id: row.id,
      account_id: row.accountId,
      requested_by_staff_id: row.staffId,
      locale: row.locale,
      requested_at: row.requestedAt,
    })
    .execute()
}

export function findExport(db: Db | Trx, exportId: string) {
  return db.selectFrom('privacy_exports').select(exportColumns).where('id', '=', exportId).executeTakeFirst()
}

/** The export still being prepared for this requester (the person, or one member of staff), if any. */
export function findQueuedExport(db: Db | Trx, accountId: string, staffId: string | null) {
  const query = db
    .selectFrom('privacy_exports')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'queued')
  return (
    staffId ? query.where('requested_by_staff_id', '=', staffId) : query.where('requested_by_staff_id', 'is', null)
  ).executeTakeFirst()
}

/** The exports a person requested themselves, newest first (those staff prepared on paper are not theirs to fetch). */
export function listAccountExports(db: Db, accountId: string) {
  return db
    .selectFrom('privacy_exports')
    .select(exportColumns)
    .where('account_id', '=', accountId)
    .where('requested_by_staff_id', 'is', null)
    .orderBy('requested_at', 'desc')
    .limit(10)
    .execute()
}

/** The exports one member of staff prepared, with whose they are. */
export function listStaffExports(db: Db, staffId: string) {
  return db
    .selectFrom('privacy_exports')
    .innerJoin('accounts', 'accounts.id', 'privacy_exports.account_id')
    .select([
      'privacy_exports.id',
      'privacy_exports.status',
      'privacy_exports.requested_at as requestedAt',
      'privacy_exports.expires_at as expiresAt',
      'privacy_exports.size_bytes as sizeBytes',
      'accounts.email',
    ])
    .where('privacy_exports.requested_by_staff_id', '=', staffId)
    .orderBy('privacy_exports.requested_at', 'desc')
    .limit(20)
    .execute()
}

/** Locks a queued export for its job; undefined when it is done already (a retried job does nothing twice). */
export function lockQueuedExport(trx: Trx, exportId: string) {
  return trx
    .selectFrom('privacy_exports')
    .select(exportColumns)
    .where('id', '=', exportId)
    .where('status', '=', 'queued')
    .forUpdate()
    .executeTakeFirst()
}

export async function storeExport(
  trx: Trx,
  exportId: string,
  zip: Uint8Array,
  readyAt: Date,
  expiresAt: Date,
): Promise<void> {
  await trx
    .updateTable('privacy_exports')
    .set({
      status: 'ready',
      content: Buffer.from(zip),
      size_bytes: zip.byteLength,
      ready_at: readyAt,
      expires_at: expiresAt,
    })
    .where('id', '=', exportId)
    .execute()
}

export async function readExportContent(db: Db | Trx, exportId: string): Promise<Buffer | null> {
  const row = await db.selectFrom('privacy_exports').select('content').where('id', '=', exportId).executeTakeFirst()
  return row?.content ? Buffer.from(row.content) : null
}

/** Deletes the archives whose download time is over; the row stays (status 'expired') for the person's overview. */
export async function expireExports(db: Db, now: Date): Promise<number> {
  const result = await db
    .updateTable('privacy_exports')
    .set({ status: 'expired', content: null })
    .where('status', '=', 'ready')
    .where('expires_at', '<=', now)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function deleteExportsOf(trx: Trx, accountId: string): Promise<number> {
  const result = await trx.deleteFrom('privacy_exports').where('account_id', '=', accountId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function markExportFailed(db: Db, exportId: string): Promise<void> {
  await db.updateTable('privacy_exports').set({ status: 'failed' }).where('id', '=', exportId).execute()
}
