/**
 * `npm test`: migrates and seeds one template database for the run (tests/support/template.ts), then runs the test
 * files with node:test, several at once, and removes the template again. `npm test -- tests/a.test.ts …` runs only
 * those files the same way. BAUHAUS_TEST_CONCURRENCY sets how many files run at once (default: the core count).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  buildPgliteTemplate,
  createServerTemplate,
  dropServerDatabase,
  PGLITE_TEMPLATE_ENV,
  SERVER_TEMPLATE_ENV,
} from './support/template.js'

/**
 * Files that take longest go first: with several files at once the run ends when its longest file does, so a long
 * file started last would leave the other cores idle at the end. Measured on this suite; the rest follow by name.
 */
const SLOW_FIRST = [
  'tests/browser/every-service.test.ts',
  'tests/fuzz.test.ts',
  'tests/access.test.ts',
  'tests/typecheck.test.ts',
]

function testFiles(args: string[]): string[] {
  if (args.length) return args
  const inDir = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.test.ts'))
      .map(f => path.posix.join(dir, f))
  const all = [...inDir('tests'), ...inDir('tests/browser')].sort()
  return [...SLOW_FIRST.filter(f => all.includes(f)), ...all.filter(f => !SLOW_FIRST.includes(f))]
}

const started = Date.now()
const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`
const files = testFiles(process.argv.slice(2))
const concurrency = Number(process.env.BAUHAUS_TEST_CONCURRENCY || os.availableParallelism())
const serverUrl = process.env.DATABASE_URL

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bauhaus-test-run-'))
let serverTemplate: string | undefined
const cleanUp = async () => {
  fs.rmSync(scratch, { recursive: true, force: true })
  if (serverTemplate && serverUrl) await dropServerDatabase(serverUrl, serverTemplate)
  serverTemplate = undefined
}

let exitCode = 1
try {
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (serverUrl) {
    serverTemplate = await createServerTemplate(serverUrl)
    env[SERVER_TEMPLATE_ENV] = serverTemplate
  } else {
    const file = path.join(scratch, 'pglite-template.tar')
    fs.writeFileSync(file, Buffer.from(await (await buildPgliteTemplate()).arrayBuffer()))
    env[PGLITE_TEMPLATE_ENV] = file
  }
  process.stdout.write(`# template database ready after ${seconds()}; ${files.length} files, ${concurrency} at once\n`)
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
    env,
    stdio: 'inherit',
  })
  // Ctrl-C reaches the child too (same process group); the template is removed once it has ended.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  exitCode = await new Promise<number>(resolve => child.once('exit', code => resolve(code ?? 1)))
} finally {
  await cleanUp()
}
process.stdout.write(`# whole run: ${seconds()}\n`)
process.exitCode = exitCode
