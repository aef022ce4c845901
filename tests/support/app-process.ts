/**
 * The platform as a real OS process (`src/main.ts`, as `npm start` runs it) on a port of its own, for the tests and
 * benchmarks that kill, restart or multiply instances: the crash test, the two-instance test, the ingest bench.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export interface AppProcess {
  url: string
  pid: number
  child: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  /** Resident set size in bytes, from /proc. */
  rssBytes(): number
  /** SIGTERM (graceful) or SIGKILL; resolves when the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | string>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** Starts an instance and waits until /readyz answers 200 (database up, migrations applied). */
export async function startAppProcess(
  env: Record<string, string>,
  opts: { port?: number; readyTimeoutMs?: number } = {},
): Promise<AppProcess> {
  const port = opts.port ?? (await freePort())
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'false',
      SEED_DEMO_CASES: 'false',
      NODE_ENV: 'development',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<number | string>(resolve =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  )
  let gone = false
  void exited.then(() => {
    gone = true
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000)
  for (;;) {
    if (gone) throw new Error(`the app process ended before it was ready: ${stderr}`)
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the app process was not ready in time: ${stderr}`)
    }
    const ready = await fetch(`${url}/readyz`).then(
      r => r.status === 200,
      () => false,
    )
    if (ready) break
    await sleep(100)
  }
  return {
    url,
    pid: child.pid!,
    child,
    exited,
    rssBytes: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
    },
    stop: async (signal = 'SIGTERM') => {
      if (!gone) child.kill(signal)
      return exited
    },
  }
}
