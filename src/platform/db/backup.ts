/**
 * bauhaus backup FILE / bauhaus restore FILE: the whole database in one file — uploads included, they live in the
 * `files` table. The embedded database is saved as PGlite's data-folder tarball, a PostgreSQL server's database with
 * pg_dump's custom format. Signing keys, config files and the environment are not in it (docs/operations.md).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { pgliteExtensions } from './database.js'

/** Something the operator has to change first (file, target, running instance): exit code 2 with the reason. */
export class BackupRefused extends Error {}

export interface BackupArgs {
  file: string
  force: boolean
}
/** Where progress goes, and the environment pg_dump and pg_restore run in (PATH, PG* variables). */
export interface BackupIo {
  say(line: string): void
  env: NodeJS.ProcessEnv
}

export function parseBackupArgs(args: string[]): BackupArgs | { error: string } {
  let file: string | undefined
  let force = false
  for (const arg of args) {
    if (arg === '--force') force = true
    else if (arg.startsWith('-')) return { error: `unknown option "${arg}"` }
    else if (file !== undefined) return { error: `unexpected argument "${arg}"` }
    else file = arg
  }
  if (file === undefined) return { error: 'the FILE is missing' }
  return { file: path.resolve(file), force }
}

// What the files start with: PGlite's tarball is gzip, pg_dump's custom format says so.
const GZIP = Buffer.from([0x1f, 0x8b])
const PG_DUMP = Buffer.from('PGDMP')

/** Saves the database named by the configuration into file. */
export async function backupDatabase(
  config: { databaseUrl: string; dataDir: string },
  args: BackupArgs,
  io: BackupIo,
): Promise<void> {
  if (fs.existsSync(args.file) && !args.force) throw new BackupRefused(`${args.file} exists; --force overwrites it`)
  // Written beside the target and renamed at the end, so a failed run never leaves a file that looks like a backup.
  const partial = `${args.file}.partial`
  try {
    if (config.databaseUrl) await dumpServer(config.databaseUrl, partial, io)
    else await dumpEmbedded(config.dataDir, partial, io.say)
    fs.renameSync(partial, args.file)
  } finally {
    fs.rmSync(partial, { force: true })
  }
  io.say(`Backup written to ${args.file} (${(fs.statSync(args.file).size / 1024 / 1024).toFixed(1)} MiB).`)
}

/** Loads file into the database named by the configuration, which must be empty unless args.force. */
export async function restoreDatabase(
  config: { databaseUrl: string; dataDir: string },
  args: BackupArgs,
  io: BackupIo,
): Promise<void> {
  if (!fs.existsSync(args.file)) throw new BackupRefused(`${args.file} does not exist`)
  const head = Buffer.alloc(5)
  const fd = fs.openSync(args.file, 'r')
  try {
    fs.readSync(fd, head, 0, 5, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (config.databaseUrl) {
    if (!head.subarray(0, 5).equals(PG_DUMP)) {
      throw new BackupRefused(
        `${args.file} is not a backup of a PostgreSQL server (pg_dump custom format)${head.subarray(0, 2).equals(GZIP) ? '; it looks like one of the embedded database: restore it without DATABASE_URL' : ''}`,
      )
    }
    await restoreServer(config.databaseUrl, args.file, args.force, io)
  } else {
    if (!head.subarray(0, 2).equals(GZIP)) {
      throw new BackupRefused(
        `${args.file} is not a backup of the embedded database (a .tar.gz by bauhaus backup)${head.equals(PG_DUMP) ? '; it is one of a PostgreSQL server: restore it with DATABASE_URL set' : ''}`,
      )
    }
    await restoreEmbedded(args.file, config.dataDir, args.force, io.say)
  }
}

// ---- embedded database (PGlite) ----

function refuseMemory(dataDir: string) {
  if (dataDir.startsWith('memory://'))
    throw new BackupRefused('DATA_DIR is memory://: that database lives only inside its process')
}

/**
 * PGlite belongs to one process, and two on one folder corrupt it; it marks an open folder with postmaster.pid, which
 * also stays behind when its process was killed.
 */
function refuseIfOpen(dataDir: string) {
  if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
    throw new BackupRefused(
      `${dataDir} is in use (postmaster.pid): stop npm start first. If no process uses it ` +
        '(the last one was killed), delete that postmaster.pid and try again',
    )
  }
}

function openEmbedded(dataDir: string, loadDataDir?: Blob) {
  return PGlite.create(dataDir, { extensions: pgliteExtensions, ...(loadDataDir ? { loadDataDir } : {}) })
}

async function dumpEmbedded(dataDir: string, file: string, say: BackupIo['say']) {
  refuseMemory(dataDir)
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION')))
    throw new BackupRefused(`${dataDir} holds no database (no PG_VERSION); check DATA_DIR`)
  refuseIfOpen(dataDir)
  say(`Backing up the embedded database in ${dataDir}`)
  const pglite = await openEmbedded(dataDir)
  try {
    // A checkpoint first: the copy then starts without replaying the write-ahead log.
    await pglite.query('checkpoint')
    const tarball = await pglite.dumpDataDir('gzip')
    fs.writeFileSync(file, Buffer.from(await tarball.arrayBuffer()))
  } finally {
    await pglite.close()
  }
}

async function restoreEmbedded(file: string, dataDir: string, force: boolean, say: BackupIo['say']) {
  refuseMemory(dataDir)
  const occupied = fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0
  if (occupied) {
    refuseIfOpen(dataDir)
    if (!force)
      throw new BackupRefused(`${dataDir} is not empty; --force replaces it (the old folder is kept beside it)`)
  }
  // Restored into a folder beside the target and swapped in only once it opens: a broken file leaves DATA_DIR as it was.
  const staging = `${dataDir}.restoring`
  fs.rmSync(staging, { recursive: true, force: true })
  fs.mkdirSync(staging, { recursive: true })
  say(`Restoring ${file} into ${dataDir}`)
  try {
    const pglite = await openEmbedded(staging, await fs.openAsBlob(file))
    try {
      const { rows } = await pglite.query<{ n: number }>(
        `select count(*)::int as n from pg_tables where schemaname = 'public'`,
      )
      say(`${rows[0]!.n} tables restored.`)
    } finally {
      await pglite.close()
    }
    if (occupied) {
      const kept = `${dataDir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`
      fs.renameSync(dataDir, kept)
      say(`The previous database is kept in ${kept}; delete it once the restored one works.`)
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
    fs.renameSync(staging, dataDir)
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
  say(`Restored into ${dataDir}. The next start applies migrations newer than the backup.`)
}

// ---- PostgreSQL server (pg_dump / pg_restore) ----

/** The password travels in PGPASSWORD, not on the command line, where every user of the machine could read it. */
function connection(databaseUrl: string, env: NodeJS.ProcessEnv) {
  const url = new URL(databaseUrl)
  const password = decodeURIComponent(url.password)
  url.password = ''
  return {
    dbname: url.toString(),
    env: { ...env, ...(password ? { PGPASSWORD: password } : {}) },
    name: `${decodeURIComponent(url.pathname.slice(1))} on ${url.host}`,
  }
}

async function queryServer<T>(databaseUrl: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  passOutput = true,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', passOutput ? 'inherit' : 'ignore'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.once('error', reject)
    child.once('close', code => resolve({ code, stdout }))
  })
}

/**
 * The newest pg_dump or pg_restore on PATH or in Debian's /usr/lib/postgresql/N/bin. It must be at least the server's
 * major version: an older pg_dump refuses a newer server, an older pg_restore cannot read a newer dump.
 */
async function findClientTool(
  tool: 'pg_dump' | 'pg_restore',
  serverMajor: number,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const debian = '/usr/lib/postgresql'
  const candidates = [
    ...(env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map(dir => path.join(dir, tool)),
    ...(fs.existsSync(debian) ? fs.readdirSync(debian).map(version => path.join(debian, version, 'bin', tool)) : []),
  ].filter(candidate => fs.existsSync(candidate))
  let best: { path: string; major: number } | undefined
  for (const candidate of candidates) {
    const { stdout } = await run(candidate, ['--version'], env, false)
    const major = Number(/\(PostgreSQL\) (\d+)/.exec(stdout)?.[1])
    if (major && (!best || major > best.major)) best = { path: candidate, major }
  }
  const install = `install the PostgreSQL client tools of version ${serverMajor} or newer (Debian: apt-get install postgresql-client-${serverMajor}, or postgresql-client)`
  if (!best) throw new Error(`${tool} not found on PATH or in ${debian}/*/bin: ${install}`)
  if (best.major < serverMajor)
    throw new Error(`${best.path} is version ${best.major}, older than the server (${serverMajor}): ${install}`)
  return best.path
}

async function serverMajor(databaseUrl: string): Promise<number> {
  const [row] = await queryServer<{ v: string }>(databaseUrl, 'show server_version_num')
  return Math.floor(Number(row!.v) / 10000)
}

async function dumpServer(databaseUrl: string, file: string, io: BackupIo) {
  const tool = await findClientTool('pg_dump', await serverMajor(databaseUrl), io.env)
  const { dbname, env, name } = connection(databaseUrl, io.env)
  io.say(`Backing up ${name} with ${tool}`)
  const { code } = await run(tool, ['--format=custom', `--file=${file}`, `--dbname=${dbname}`], env)
  if (code !== 0) throw new Error(`pg_dump failed (exit code ${code}); its message is above`)
}

async function restoreServer(databaseUrl: string, file: string, force: boolean, io: BackupIo) {
  const tool = await findClientTool('pg_restore', await serverMajor(databaseUrl), io.env)
  const { dbname, env, name } = connection(databaseUrl, io.env)
  const [occupied] = await queryServer<{ n: number }>(
    databaseUrl,
    `select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`,
  )
  if (occupied!.n > 0 && !force) {
    throw new BackupRefused(
      `${name} already has ${occupied!.n} tables; restore into a new database (createdb), or --force to replace what the backup contains`,
    )
  }
  io.say(`Restoring ${file} into ${name} with ${tool}`)
  const { code } = await run(
    tool,
    [
      // All or nothing; owned by the user of DATABASE_URL, who runs the app, whatever the roles of the dumped server.
      '--single-transaction',
      '--exit-on-error',
      '--no-owner',
      '--no-privileges',
      ...(occupied!.n > 0 ? ['--clean', '--if-exists'] : []),
      `--dbname=${dbname}`,
      file,
    ],
    env,
  )
  if (code !== 0)
    throw new Error(`pg_restore failed (exit code ${code}); its message is above; the database is unchanged`)
  const [tables] = await queryServer<{ n: number }>(
    databaseUrl,
    `select count(*)::int as n from pg_tables where schemaname = 'public'`,
  )
  io.say(`Restored ${tables!.n} tables into ${name}. The next start applies migrations newer than the backup.`)
}
