import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import fs from 'node:fs'
import type { Database } from './schema.js'

/** The contrib extensions the migrations create: trigram search, and GiST on plain columns for the booking engine's exclusion constraint. */
export const pgliteExtensions = { pg_trgm, btree_gist }

export type Db = Kysely<Database>
export type Trx = Transaction<Database>

export interface DatabaseHandle {
  db: Db
  /** Runs a multi-statement SQL script (migrations). */
  execScript(script: string): Promise<void>
  /** Runs fn while holding a server-wide lock, so app instances starting together migrate one after another. */
  withExclusiveLock<T>(fn: () => Promise<T>): Promise<T>
  /**
   * Calls onPayload for every NOTIFY on the channel (from this or any other process), until the returned
   * function is called. On a server the connection is re-opened after a loss; onReconnect then tells the
   * caller that notifications may have been missed meanwhile.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

// BIGINT counts come back as strings from pg; numbers are what the app wants for counts.
pg.types.setTypeParser(20, v => Number(v))
// DATE stays a plain 'YYYY-MM-DD' string: a birth date has no time zone.
pg.types.setTypeParser(1082, v => v)

export async function openDatabase(opts: {
  databaseUrl: string
  dataDir: string
  poolSize?: number
  /** PGlite only: starts from this dump of a data directory (dumpDataDir) instead of an empty one (the tests' copies). */
  pgliteTemplate?: Blob
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 })
    // A connection the server drops (restart, failover) must not end the process: the query on it fails (the request
    // gets 503), the pool discards the connection when it comes back, and the next query opens a new one. pg emits
    // 'error' on idle connections through the pool and on checked-out ones (e.g. mid-transaction) on the client itself.
    pool.on('error', () => undefined)
    pool.on('connect', client => {
      client.on('error', () => undefined)
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return {
      db,
      kind: 'postgres',
      execScript: async script => {
        await pool.query(script)
      },
      withExclusiveLock: async fn => {
        const client = await pool.connect()
        try {
          await client.query('select pg_advisory_lock(7081945)')
          return await fn()
        } finally {
          await client.query('select pg_advisory_unlock(7081945)').catch(() => undefined)
          client.release()
        }
      },
      listen: (channel, onPayload, onReconnect) => listenOnServer(opts.databaseUrl, channel, onPayload, onReconnect),
      close: () => db.destroy(),
    }
  }
  if (!opts.dataDir.startsWith('memory://')) fs.mkdirSync(opts.dataDir, { recursive: true })
  const pglite = await PGlite.create(opts.dataDir, {
    extensions: pgliteExtensions,
    parsers: { 20: (v: string) => Number(v), 1082: (v: string) => v },
    loadDataDir: opts.pgliteTemplate,
  })
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
  return {
    db,
    kind: 'pglite',
    execScript: async script => {
      await pglite.exec(script)
    },
    // One process owns an embedded database; there is nobody to wait for.
    withExclusiveLock: fn => fn(),
    listen: async (channel, onPayload) => {
      const unlisten = await pglite.listen(channel, onPayload)
      return async () => {
        if (!pglite.closed) await unlisten()
      }
    },
    close: async () => {
      await db.destroy()
    },
  }
}

const RECONNECT_DELAY_MS = 1000

/** LISTEN needs a connection of its own that stays open; pooled connections come and go. */
async function listenOnServer(
  databaseUrl: string,
  channel: string,
  onPayload: (payload: string) => void,
  onReconnect?: () => void,
) {
  let client: pg.Client | undefined
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  const connect = async (isReconnect: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl })
    c.on('notification', n => {
      if (n.channel === channel && n.payload !== undefined) onPayload(n.payload)
    })
    // A lost connection (server restart, network) is re-opened; the app keeps serving meanwhile.
    const reopen = () => {
      if (stopped || client !== c) return
      client = undefined
      c.end().catch(() => undefined)
      retry = setTimeout(() => {
        connect(true).catch(() => undefined)
      }, RECONNECT_DELAY_MS)
    }
    c.on('error', reopen)
    c.on('end', reopen)
    client = c
    try {
      await c.connect()
      await c.query(`listen ${pg.escapeIdentifier(channel)}`)
      if (isReconnect) onReconnect?.()
    } catch (error) {
      if (!isReconnect) {
        client = undefined
        await c.end().catch(() => undefined)
        throw error
      }
      reopen()
    }
  }
  await connect(false)
  return async () => {
    stopped = true
    clearTimeout(retry)
    await client?.end().catch(() => undefined)
  }
}

export async function isDatabaseReachable(db: Db): Promise<boolean> {
  const result = await sql<{ ok: number }>`select 1 as ok`.execute(db)
  return result.rows[0]?.ok === 1
}
