/**
 * The migrated and seeded database every test platform starts from. Migrating and seeding take far longer than
 * copying, so a run does them once (tests/run.ts) and each platform gets a copy: on PGlite a load of the template's
 * data directory (dumpDataDir/loadDataDir), on a PostgreSQL server `create database … template …`.
 */
import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { loadConfig, type Config } from '../../src/platform/config.js'
import { checkStartFiles } from '../../src/boot.checks.js'
import { openDatabase, pgliteExtensions, type DatabaseHandle } from '../../src/platform/db/database.js'
import { migrate } from '../../src/platform/db/migrate.js'
import { seedAll } from '../../src/seed.js'

/** The file holding this run's PGlite template (a tar of its data directory), set by tests/run.ts. */
export const PGLITE_TEMPLATE_ENV = 'BAUHAUS_TEST_PGLITE_TEMPLATE'
/** The name of this run's template database on the server of DATABASE_URL, set by tests/run.ts. */
export const SERVER_TEMPLATE_ENV = 'BAUHAUS_TEST_SERVER_TEMPLATE'

/** What every test platform starts with, before a test's own overrides. */
export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  return loadConfig(
    {},
    {
      databaseUrl,
      dataDir: 'memory://',
      servicesDir: path.resolve('services'),
      seedDemoData: true,
      seedDemoCases: false,
      logLevel: 'silent',
      cookieSecure: false,
      devMail: true,
      baseUrl: 'http://localhost:3000',
      // The suite sends thousands of requests from 127.0.0.1; tests/request-limits.test.ts turns the limit on.
      requestLimitPerMinute: 0,
      // Likewise the stricter limit of submissions without a solved challenge; tests/proof-of-work.test.ts turns it on.
      unverifiedSubmissionsPerHour: 0,
      // The demo people sign in thousands of times; their hash is cheap to check (production keeps argon2's defaults).
      passwordHashCost: 'test',
      ...overrides,
    },
  )
}

/** The settings the migration and seed depend on: a platform that overrides one of them gets a database of its own. */
const SEED_SETTINGS = [
  'databaseUrl',
  'dataDir',
  'servicesDir',
  'seedDemoData',
  'seedDemoCases',
  'passwordHashCost',
] as const

/** Whether a platform with these overrides starts from what the template holds. */
export function startsFromTemplate(overrides: Partial<Config>): boolean {
  const base = testConfig('')
  return SEED_SETTINGS.every(
    key =>
      overrides[key] === undefined ||
      (key === 'servicesDir' ? path.resolve(overrides[key]) === base[key] : overrides[key] === base[key]),
  )
}

/** Migrates and seeds a database as a test platform's boot would. */
async function migrateAndSeed(database: DatabaseHandle, config: Config) {
  const { offices, loaded } = checkStartFiles(config)
  await migrate(database)
  await seedAll(database.db, config, {
    demo: config.seedDemoData,
    demoCases: config.seedDemoCases,
    loaded: { offices, services: loaded },
  })
}

/** A new PGlite database, migrated and seeded, as a tar of its data directory. */
export async function buildPgliteTemplate(): Promise<Blob> {
  // The handle openDatabase would give, around a PGlite of our own: only this one can dump its data directory.
  const pglite = await PGlite.create('memory://', {
    extensions: pgliteExtensions,
    parsers: { 20: (v: string) => Number(v), 1082: (v: string) => v },
  })
  try {
    const { PGliteDialect } = await import('kysely-pglite-dialect')
    const { Kysely } = await import('kysely')
    const db = new Kysely<never>({ dialect: new PGliteDialect(pglite) }) as unknown as DatabaseHandle['db']
    const handle: DatabaseHandle = {
      db,
      kind: 'pglite',
      execScript: async script => {
        await pglite.exec(script)
      },
      withExclusiveLock: fn => fn(),
      listen: () => Promise.reject(new Error('the template needs no LISTEN')),
      close: () => db.destroy(),
    }
    await migrateAndSeed(handle, testConfig(''))
    // A checkpoint first, so the dump holds every page (not the write-ahead log only) and loads without recovery.
    await pglite.exec('checkpoint')
    return await pglite.dumpDataDir('none')
  } finally {
    await pglite.close()
  }
}

let pgliteTemplate: Promise<Blob> | undefined

/** This run's PGlite template: the file tests/run.ts made, or (a single file run on its own) one built now, once per process. */
export function pgliteTemplateBlob(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = process.env[PGLITE_TEMPLATE_ENV]
    return file ? new Blob([await fs.promises.readFile(file)]) : buildPgliteTemplate()
  })()
  return pgliteTemplate
}

/** Runs fn with a client of the server's maintenance database. */
async function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function databaseUrl(serverUrl: string, name: string) {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** A migrated and seeded template database on the server; its name. */
export async function createServerTemplate(serverUrl: string): Promise<string> {
  const name = `bauhaus_template_${crypto.randomBytes(6).toString('hex')}`
  await withAdmin(serverUrl, client => client.query(`create database ${name}`))
  const database = await openDatabase({ databaseUrl: databaseUrl(serverUrl, name), dataDir: '', poolSize: 2 })
  try {
    await migrateAndSeed(database, testConfig(databaseUrl(serverUrl, name)))
  } finally {
    await database.close()
  }
  // No one may copy a database someone is connected to: wait until the pool's sockets have left.
  await waitUntilUnused(serverUrl, name)
  return name
}

export async function dropServerDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, async client => {
    await waitUntilUnused(serverUrl, name, client)
    await client.query(`drop database if exists ${name} with (force)`)
  })
}

/**
 * pg's pool.end() resolves before its sockets have closed; dropping with force while they are still closing kills them
 * mid-goodbye, which surfaces as an uncaught error. Waits (a second at most) for them to leave.
 */
async function waitUntilUnused(serverUrl: string, name: string, admin?: pg.Client) {
  const check = async (client: pg.Client) => {
    for (let i = 0; i < 50; i++) {
      const open = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name])
      if (open.rows[0].n === 0) return
      await new Promise(resolve => setTimeout(resolve, 20))
    }
  }
  await (admin ? check(admin) : withAdmin(serverUrl, check))
}

/** A new database on the server, empty or a copy of a template, and how to drop it again. */
export async function createServerDatabase(
  serverUrl: string,
  prefix = 'bauhaus_test',
  template?: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${crypto.randomBytes(6).toString('hex')}`
  await withAdmin(serverUrl, client =>
    client.query(template ? `create database ${name} template ${template}` : `create database ${name}`),
  )
  return { url: databaseUrl(serverUrl, name), drop: () => dropServerDatabase(serverUrl, name) }
}
