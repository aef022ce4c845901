import type { Db, Trx } from '../../platform/db/database.js'

export interface ApiKeyRow {
  id: string
  name: string
  keyPrefix: string
  createdAt: Date
  createdByName: string | null
  revokedAt: Date | null
  lastUsedAt: Date | null
}

/** Every key, the usable ones first, newest first. */
export function listApiKeyRows(db: Db): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('open311_api_keys as k')
    .leftJoin('staff as s', 's.id', 'k.created_by')
    .select([
      'k.id',
      'k.name',
      'k.key_prefix as keyPrefix',
      'k.created_at as createdAt',
      's.name as createdByName',
      'k.revoked_at as revokedAt',
      'k.last_used_at as lastUsedAt',
    ])
    .orderBy(eb => eb.case().when('k.revoked_at', 'is', null).then(0).else(1).end())
    .orderBy('k.created_at', 'desc')
    .orderBy('k.id')
    .execute()
}

export async function insertApiKey(
  trx: Trx,
  key: { id: string; name: string; keyHash: string; keyPrefix: string; createdBy: string },
): Promise<void> {
  await trx
    .insertInto('open311_api_keys')
    .values({ id: key.id, name: key.name, key_hash: key.keyHash, key_prefix: key.keyPrefix, created_by: key.createdBy })
    .execute()
}

export function lockApiKey(trx: Trx, id: string) {
  return trx
    .selectFrom('open311_api_keys')
    .select(['id', 'name', 'revoked_at as revokedAt'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function markApiKeyRevoked(trx: Trx, id: string, staffId: string): Promise<void> {
  await trx
    .updateTable('open311_api_keys')
    .set({ revoked_at: new Date(), revoked_by: staffId })
    .where('id', '=', id)
    .execute()
}

export function findApiKeyByHash(db: Db, keyHash: string) {
  return db
    .selectFrom('open311_api_keys')
    .select(['id', 'name', 'revoked_at as revokedAt', 'last_used_at as lastUsedAt'])
    .where('key_hash', '=', keyHash)
    .executeTakeFirst()
}

/** Once a minute at most, so a busy client does not write a row on every request. */
export async function touchApiKey(db: Db, id: string, now: Date): Promise<void> {
  await db
    .updateTable('open311_api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where(eb => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - 60_000))]))
    .execute()
}
