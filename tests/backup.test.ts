import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { sql } from 'kysely'
import { createServerDatabase, startTestPlatform } from './support/test-platform.js'
import { citizenBrowser, submitCase } from './support/casework.js'
import { openDatabase, type Db } from '../src/platform/db/database.js'
import { parseBackupArgs } from '../src/platform/db/backup.js'

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-backup-'))
after(() => fs.rmSync(work, { recursive: true, force: true }))

/** The CLI as an operator runs it, on the database the environment names. */
function cli(
  env: { DATABASE_URL?: string; DATA_DIR?: string },
  ...args: string[]
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, DATABASE_URL: env.DATABASE_URL ?? '', DATA_DIR: env.DATA_DIR ?? path.join(work, 'unused') },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise(resolve => child.on('close', code => resolve({ code, stderr })))
}

/** Seed data plus a submitted case with an upload, made through the routes; returns the case's reference. */
async function fillDatabase(target: { databaseUrl: string; dataDir: string }): Promise<string> {
  const platform = await startTestPlatform(target)
  try {
    const { reference } = await submitCase(platform, await citizenBrowser(platform), 'baumfaellung')
    return reference
  } finally {
    await platform.close()
  }
}

/** Rows per table, and the case with its timeline and uploaded files down to their bytes. */
async function snapshot(db: Db, reference: string) {
  const tables = await sql<{
    name: string
  }>`select tablename as name from pg_tables where schemaname = 'public' order by 1`.execute(db)
  const counts: Record<string, number> = {}
  for (const { name } of tables.rows) {
    counts[name] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db)).rows[0]!.n
  }
  const theCase = await db.selectFrom('cases').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow()
  const events = await db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', theCase.id)
    .orderBy('id')
    .execute()
  const files = await db
    .selectFrom('files')
    .select(['filename', 'sha256', 'content'])
    .where('case_id', '=', theCase.id)
    .orderBy('filename')
    .execute()
  return { counts, theCase, events, files }
}

async function snapshotOf(target: { databaseUrl: string; dataDir: string }, reference: string) {
  const handle = await openDatabase(target)
  try {
    return await snapshot(handle.db, reference)
  } finally {
    await handle.close()
  }
}

describe('backup and restore', () => {
  it('refuses wrong arguments with the reason', async () => {
    assert.deepEqual(parseBackupArgs([]), { error: 'the FILE is missing' })
    assert.deepEqual(parseBackupArgs(['a.tar.gz', 'b.tar.gz']), { error: 'unexpected argument "b.tar.gz"' })
    assert.deepEqual(parseBackupArgs(['a.tar.gz', '--fast']), { error: 'unknown option "--fast"' })
    assert.deepEqual(parseBackupArgs(['--force', 'a.tar.gz']), { file: path.resolve('a.tar.gz'), force: true })
    const run = await cli({}, 'restore')
    assert.equal(run.code, 2)
    assert.match(run.stderr, /bauhaus restore: the FILE is missing\nUsage: bauhaus restore FILE \[--force\]/)
  })

  it('round trip on the embedded database: backup of a stopped one, restore into a fresh folder, same rows, case and files', async () => {
    const source = { databaseUrl: '', dataDir: path.join(work, 'source') }
    const reference = await fillDatabase(source)
    const before = await snapshotOf(source, reference)
    assert.ok(before.files.length > 0, 'the case has an upload, so the backup must carry files')
    assert.ok(before.counts.accounts! > 0 && before.counts.cases! > 0)

    const file = path.join(work, 'embedded.tar.gz')
    const backup = await cli({ DATA_DIR: source.dataDir }, 'backup', file)
    assert.equal(backup.code, 0, backup.stderr)
    assert.match(backup.stderr, /Backup written to .*embedded\.tar\.gz/)
    const again = await cli({ DATA_DIR: source.dataDir }, 'backup', file)
    assert.equal(again.code, 2)
    assert.match(again.stderr, /exists; --force overwrites it/)

    const target = { databaseUrl: '', dataDir: path.join(work, 'restored') }
    const restore = await cli({ DATA_DIR: target.dataDir }, 'restore', file)
    assert.equal(restore.code, 0, restore.stderr)
    assert.deepEqual(await snapshotOf(target, reference), before)

    const overwrite = await cli({ DATA_DIR: target.dataDir }, 'restore', file)
    assert.equal(overwrite.code, 2, 'a database that is there is not overwritten by accident')
    assert.match(overwrite.stderr, /is not empty; --force replaces it/)

    // An open database (a running npm start) is neither copied nor replaced: two processes on one folder corrupt it.
    const running = await openDatabase(target)
    await sql`select 1`.execute(running.db)
    try {
      for (const args of [
        ['backup', path.join(work, 'while-running.tar.gz')],
        ['restore', file, '--force'],
      ]) {
        const refused = await cli({ DATA_DIR: target.dataDir }, ...args)
        assert.equal(refused.code, 2, args[0])
        assert.match(refused.stderr, /is in use \(postmaster\.pid\): stop npm start first/)
      }
    } finally {
      await running.close()
    }

    const forced = await cli({ DATA_DIR: target.dataDir }, 'restore', file, '--force')
    assert.equal(forced.code, 0, forced.stderr)
    assert.match(forced.stderr, /The previous database is kept in .*restored\.replaced-/)
    assert.deepEqual(await snapshotOf(target, reference), before)

    const wrongKind = await cli({ DATA_DIR: path.join(work, 'other') }, 'restore', path.join('package.json'))
    assert.equal(wrongKind.code, 2)
    assert.match(wrongKind.stderr, /is not a backup of the embedded database/)
  })

  // The server's round trip runs where the suite has a server (the second CI run); the embedded one runs in both.
  if (process.env.DATABASE_URL)
    it('round trip on a PostgreSQL server: pg_dump, pg_restore into a new database, same rows, case and files', async () => {
      const server = process.env.DATABASE_URL!
      const sourceDb = await createServerDatabase(server, 'bauhaus_backup')
      const targetDb = await createServerDatabase(server, 'bauhaus_restore')
      try {
        const source = { databaseUrl: sourceDb.url, dataDir: 'memory://' }
        const reference = await fillDatabase(source)
        const before = await snapshotOf(source, reference)
        assert.ok(before.files.length > 0)

        const file = path.join(work, 'server.dump')
        const backup = await cli({ DATABASE_URL: source.databaseUrl }, 'backup', file)
        assert.equal(backup.code, 0, backup.stderr)
        assert.match(backup.stderr, /Backing up bauhaus_backup_\w+ on 127\.0\.0\.1:5432 with .*pg_dump/)

        const target = { databaseUrl: targetDb.url, dataDir: 'memory://' }
        const restore = await cli({ DATABASE_URL: target.databaseUrl }, 'restore', file)
        assert.equal(restore.code, 0, restore.stderr)
        assert.deepEqual(await snapshotOf(target, reference), before)

        const overwrite = await cli({ DATABASE_URL: target.databaseUrl }, 'restore', file)
        assert.equal(overwrite.code, 2)
        assert.match(overwrite.stderr, /already has \d+ tables; restore into a new database/)
        const forced = await cli({ DATABASE_URL: target.databaseUrl }, 'restore', file, '--force')
        assert.equal(forced.code, 0, forced.stderr)
        assert.deepEqual(await snapshotOf(target, reference), before)

        const gzip = path.join(work, 'some.tar.gz')
        fs.writeFileSync(gzip, zlib.gzipSync('not a database'))
        const wrongKind = await cli({ DATABASE_URL: target.databaseUrl }, 'restore', gzip)
        assert.equal(wrongKind.code, 2)
        assert.match(wrongKind.stderr, /looks like one of the embedded database: restore it without DATABASE_URL/)
      } finally {
        await sourceDb.drop()
        await targetDb.drop()
      }
    })
})
