import crypto from 'node:crypto'
import type { Db } from '../../platform/db/database.js'
import type { StaffMember } from '../../platform/auth/sessions.js'
import { audit } from '../../platform/audit/audit.js'
import { NotFound } from '../../platform/http/errors.js'
import {
  findApiKeyByHash,
  insertApiKey,
  listApiKeyRows,
  lockApiKey,
  markApiKeyRevoked,
  touchApiKey,
  type ApiKeyRow,
} from './open311.keys.queries.js'

export type { ApiKeyRow }
export const API_KEY_NAME_MAX = 200
/** Recognisable in logs and secret scanners; the rest is 32 random bytes. */
const KEY_PREFIX = 'o311_'
const PREFIX_SHOWN = KEY_PREFIX.length + 6

const hashKey = (key: string) => crypto.createHash('sha256').update(key, 'utf8').digest('hex')

export class ApiKeyNotFound extends NotFound {
  constructor() {
    super('open311.admin.errors.keyNotFound')
  }
}

export function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return listApiKeyRows(db)
}

/**
 * Issues a key for an Open311 client. The key is returned once, to be shown once; only its SHA-256 is stored,
 * so nobody (not even a database reader) can hand it out again — a lost key is revoked and replaced.
 */
export async function createApiKey(db: Db, actor: StaffMember, name: string): Promise<{ id: string; key: string }> {
  const id = crypto.randomUUID()
  const key = `${KEY_PREFIX}${crypto.randomBytes(32).toString('base64url')}`
  await db.transaction().execute(async trx => {
    await insertApiKey(trx, {
      id,
      name,
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, PREFIX_SHOWN),
      createdBy: actor.id,
    })
    await audit(trx, {
      actor: { staffId: actor.id },
      action: 'open311.key.create',
      subjectType: 'open311_api_key',
      subjectId: id,
      details: { name },
    })
  })
  return { id, key }
}

/** Revokes a key for good; the client's next request is refused (403). Revoking twice changes nothing. */
export async function revokeApiKey(db: Db, actor: StaffMember, id: string): Promise<void> {
  await db.transaction().execute(async trx => {
    const found = await lockApiKey(trx, id)
    if (!found) throw new ApiKeyNotFound()
    if (found.revokedAt) return
    await markApiKeyRevoked(trx, id, actor.id)
    await audit(trx, {
      actor: { staffId: actor.id },
      action: 'open311.key.revoke',
      subjectType: 'open311_api_key',
      subjectId: id,
      details: { name: found.name },
    })
  })
}

export type KeyCheck = { ok: true; id: string } | { ok: false; reason: 'missing' | 'invalid' | 'revoked' }

/** Whether a client's api_key may create requests; records when a key was last used. */
export async function checkApiKey(db: Db, key: string | undefined): Promise<KeyCheck> {
  if (!key) return { ok: false, reason: 'missing' }
  // Anything that cannot be one of our keys is not looked up (and cannot reach the database as odd text).
  if (!key.startsWith(KEY_PREFIX) || key.length > 100) return { ok: false, reason: 'invalid' }
  const found = await findApiKeyByHash(db, hashKey(key))
  if (!found) return { ok: false, reason: 'invalid' }
  if (found.revokedAt) return { ok: false, reason: 'revoked' }
  await touchApiKey(db, found.id, new Date())
  return { ok: true, id: found.id }
}
