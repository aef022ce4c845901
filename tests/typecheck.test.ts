/**
 * The static checks of `npm test` as test files, so they run alongside the others: the TypeScript check, and
 * xss-scan (@kitajs/ts-html-plugin: no unescaped content in views).
 */
import { it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Runs a package's command-line script with this Node; its exit code and output. */
function run(script: string, args: string[] = []): Promise<{ code: number; output: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [script, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, output: `${stdout}${stderr}` })
    })
  })
}

it('the code type-checks (tsc --noEmit)', { timeout: 600_000 }, async () => {
  const { code, output } = await run(require.resolve('typescript/bin/tsc'), ['--noEmit'])
  assert.equal(code, 0, output)
})

it('no view renders unescaped content (xss-scan)', { timeout: 600_000 }, async () => {
  const { code, output } = await run(require.resolve('@kitajs/ts-html-plugin/dist/cli.js'))
  assert.equal(code, 0, output)
})
