/**
 * `npm test`: migrates and seeds one template database for the run (tests/support/template.ts), then runs the test
 * files with node:test, several at once, and removes the template again. `npm test -- tests/a.test.ts …` runs only
 * those files the same way. BAUHAUS_TEST_CONCURRENCY sets how many files run at once (default: the core count).
 */
import { run } from 'node:test'
import { spec, tap } from 'node:test/reporters'
import { pipeline } from 'node:stream/promises'
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
const timings = path.join(scratch, 'timings')
let serverTemplate: string | undefined
const cleanUp = async () => {
  fs.rmSync(scratch, { recursive: true, force: true })
  if (serverTemplate && serverUrl) await dropServerDatabase(serverUrl, serverTemplate)
  serverTemplate = undefined
}

/** The files that took longest (tests/support/file-timing.ts notes each), to keep an eye on them. */
function reportSlowestFiles() {
  if (!fs.existsSync(timings)) return
  const rows = fs
    .readdirSync(timings)
    .map(
      f =>
        JSON.parse(fs.readFileSync(path.join(timings, f), 'utf8')) as { file: string; wallMs: number; cpuMs: number },
    )
    .sort((a, b) => b.wallMs - a.wallMs)
  process.stdout.write('# slowest files (wall s, CPU s of the test process):\n')
  for (const row of rows.slice(0, 12))
    process.stdout.write(
      `#   ${(row.wallMs / 1000).toFixed(1).padStart(6)} ${(row.cpuMs / 1000).toFixed(1).padStart(6)}  ${row.file}\n`,
    )
}

let exitCode = 1
try {
  if (serverUrl) {
    serverTemplate = await createServerTemplate(serverUrl)
    process.env[SERVER_TEMPLATE_ENV] = serverTemplate
  } else {
    const file = path.join(scratch, 'pglite-template.tar')
    fs.writeFileSync(file, Buffer.from(await (await buildPgliteTemplate()).arrayBuffer()))
    process.env[PGLITE_TEMPLATE_ENV] = file
  }
  fs.mkdirSync(timings)
  process.env.BAUHAUS_TEST_TIMINGS = timings
  process.stdout.write(`# template database ready after ${seconds()}; ${files.length} files, ${concurrency} at once\n`)
  // run() keeps the files in the order given (the command line's --test sorts them) and starts each with this
  // process's flags (--import tsx).
  const stop = new AbortController()
  const stream = run({ files, concurrency, signal: stop.signal })
  let failed = false
  stream.on('test:fail', () => {
    failed = true
  })
  // Ctrl-C reaches the running files too (same process group); no further file starts, and the template is removed
  // once they have ended.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort())
  await pipeline(stream.compose(process.stdout.isTTY ? new spec() : tap), process.stdout, { end: false })
  exitCode = failed ? 1 : 0
  reportSlowestFiles()
} finally {
  await cleanUp()
}
process.stdout.write(`# whole run: ${seconds()}\n`)
process.exitCode = exitCode
