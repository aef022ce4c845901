import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DatabaseHandle, Db } from './database.js'

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations')

/** Applies every migrations/NNNN_*.sql not yet applied, each in its own transaction. */
export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  return handle.withExclusiveLock(() => applyPending(handle))
}

const migrationFiles = () =>
  fs
    .readdirSync(migrationsDir)
    .filter(f => /^\d{4}_.*\.sql$/.test(f))
    .sort()

/** Migrations of this code not yet applied to the database (for readiness: an instance newer than its database). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const applied = new Set((await db.selectFrom('schema_migrations').select('name').execute()).map(r => r.name))
  return migrationFiles().filter(f => !applied.has(f))
}

async function applyPending(handle: DatabaseHandle): Promise<string[]> {
  await handle.execScript(`create table if not exists schema_migrations (
    name text primary key, applied_at timestamptz not null default now())`)
  const applied = new Set((await handle.db.selectFrom('schema_migrations').select('name').execute()).map(r => r.name))
  const files = migrationFiles()
  const done: string[] = []
  for (const file of files) {
    if (applied.has(file)) continue
    const script = fs.readFileSync(path.join(migrationsDir, file), 'utf8')
    await handle.execScript(`begin;
      ${script};
      insert into schema_migrations (name) values ('${file}') on conflict do nothing;
      commit;`)
    done.push(file)
  }
  return done
}
