import { execFile } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { promisify } from 'node:util'

const run = promisify(execFile)
const bin = (name: string) => path.resolve('node_modules', '.bin', name)

/** Runs a checker; on failure its own report is the assertion message, so CI shows file and line. */
async function check(command: string, args: string[]): Promise<void> {
  try {
    await run(bin(command), args, { maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    assert.fail(`${command} ${args.join(' ')} found problems:\n${stdout}${stderr}`)
  }
}

test('Biome: the code is formatted and passes the linter (biome.json)', () =>
  check('biome', ['ci', '--colors=off', '.']))

test('knip: no unused files, exports or dependencies (knip.json)', () => check('knip', []))
