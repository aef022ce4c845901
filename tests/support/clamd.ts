import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pingClamd } from '../../src/platform/files/virus-scan.js'
import { freePort } from './app-process.js'

const CLAMD = '/usr/sbin/clamd'
const SIGTOOL = '/usr/bin/sigtool'

/** The EICAR test file: every virus scanner reports it, and it harms nothing. */
export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1')

export interface TestClamd {
  /** For CLAMD_SOCKET. */
  socket: string
  /** The same clamd over TCP on 127.0.0.1. */
  tcpPort: number
  stop(): Promise<void>
}

/**
 * A real clamd on a temporary folder with a signature database of one hash signature (EICAR), built here with
 * sigtool: freshclam cannot reach its mirrors on CI machines. Resolves once clamd answers PING.
 */
export async function startClamd(): Promise<TestClamd> {
  for (const program of [CLAMD, SIGTOOL])
    if (!fs.existsSync(program))
      throw new Error(`${program} is missing: install the Debian packages clamav and clamav-daemon (.ci/run does)`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-clamd-'))
  const databaseDir = path.join(dir, 'db')
  fs.mkdirSync(databaseDir)
  fs.writeFileSync(path.join(dir, 'eicar.com'), EICAR)
  // `sigtool --md5` prints "<md5>:<size>:<name>", a .hdb hash signature.
  const signature = execFileSync(SIGTOOL, ['--md5', 'eicar.com'], { cwd: dir, encoding: 'utf8' })
  fs.writeFileSync(path.join(databaseDir, 'test.hdb'), signature)
  const socket = path.join(dir, 'clamd.sock')
  const tcpPort = await freePort()
  const configFile = path.join(dir, 'clamd.conf')
  fs.writeFileSync(
    configFile,
    [
      `LocalSocket ${socket}`,
      `TCPSocket ${tcpPort}`,
      'TCPAddr 127.0.0.1',
      `DatabaseDirectory ${databaseDir}`,
      `TemporaryDirectory ${dir}`,
      `PidFile ${path.join(dir, 'clamd.pid')}`,
      'Foreground yes',
      // Above MAX_UPLOAD_BYTES (51 MiB), as production's clamd.conf must be (docs/operations.md).
      'StreamMaxLength 60M',
    ].join('\n'),
  )
  const output: string[] = []
  const child: ChildProcess = spawn(CLAMD, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.on('data', data => output.push(String(data)))
  child.stderr?.on('data', data => output.push(String(data)))
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await exited
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 30_000
  while (!(await pingClamd({ path: socket }, 1000))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`clamd did not answer PING:\n${output.join('')}`)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return { socket, tcpPort, stop }
}
