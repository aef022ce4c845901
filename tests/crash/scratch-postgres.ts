/**
 * A PostgreSQL server of the crash test's own, in a temporary directory, so it can be stopped in immediate mode (as a
 * power cut would: no checkpoint, recovery from the WAL at the next start) without touching the shared server.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../support/app-process.js'

export interface ScratchPostgres {
  url: string
  restartImmediately(): Promise<void>
  destroy(): Promise<void>
}

function binDir(): string {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' })
  const candidates = [
    fromConfig.status === 0 ? fromConfig.stdout.trim() : '',
    ...(fs.existsSync('/usr/lib/postgresql')
      ? fs
          .readdirSync('/usr/lib/postgresql')
          .sort()
          .reverse()
          .map(v => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ]
  const found = candidates.find(
    dir => dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')),
  )
  if (!found)
    throw new Error(
      'initdb and pg_ctl were not found (pg_config --bindir, /usr/lib/postgresql/*/bin): install the PostgreSQL server package',
    )
  return found
}

export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const bin = binDir()
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-scratch-pg-'))
  const data = path.join(root, 'data')
  const port = await freePort()
  // PostgreSQL refuses to run as root; CI runs as root, so the server runs as the postgres user there.
  const asRoot = process.getuid?.() === 0
  if (asRoot) execFileSync('chown', ['postgres', root])
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : path.join(bin, tool)
    const argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args
    execFileSync(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] })
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(root, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=on`,
      'start',
    ])
  start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restartImmediately: async () => {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      await new Promise(resolve => setTimeout(resolve, 500))
      start()
    },
    destroy: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } catch {
        /* already stopped */
      }
      fs.rmSync(root, { recursive: true, force: true })
    },
  }
}
