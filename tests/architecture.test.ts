import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  cruiseSources,
  describeViolation,
  moduleGraphMermaid,
  repoRoot,
  withModuleGraph,
} from '../scripts/architecture.js'

// One cruise of src/ serves every test that reads the real code (it takes seconds).
const sources = cruiseSources()

describe('the import rules (.dependency-cruiser.cjs)', () => {
  it('find no cycle, no import of another module’s internals and no upward arrow in src/', async () => {
    // Arrows first, then cycles: one wrong arrow closes many cycles, so it is the line to read.
    const violations = (await sources).summary.violations
      .map(describeViolation)
      .sort((a, b) => Number(a.startsWith('no-circular:')) - Number(b.startsWith('no-circular:')))
    assert.equal(violations.length, 0, `${violations.length} violations:\n${violations.join('\n')}`)
  })

  it('fail on a new import cycle between two modules and name both files', async () => {
    const fixture = await mkdtemp(path.join(os.tmpdir(), 'bauhaus-cycle-'))
    try {
      await writeFile(
        path.join(fixture, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
      )
      for (const [name, other] of [
        ['efile', 'postbox'],
        ['postbox', 'efile'],
      ]) {
        await mkdir(path.join(fixture, 'src/modules', name), { recursive: true })
        await writeFile(
          path.join(fixture, 'src/modules', name, 'index.ts'),
          `import { ${other} } from '../${other}/index.js'\nexport const ${name} = () => ${other}\n`,
        )
      }

      const violations = (await cruiseSources(fixture)).summary.violations.map(describeViolation)

      const cycles = violations.filter(line => line.startsWith('no-circular:'))
      assert.ok(cycles.length > 0, `no cycle reported:\n${violations.join('\n')}`)
      for (const file of ['src/modules/efile/index.ts', 'src/modules/postbox/index.ts']) {
        assert.ok(cycles[0].includes(file), `${cycles[0]} does not name ${file}`)
      }
    } finally {
      await rm(fixture, { recursive: true, force: true })
    }
  })
})

describe('the module graph in docs/architecture.md', () => {
  it('is the graph the code has now (npm run graph refreshes it)', async () => {
    const document = await readFile(path.join(repoRoot, 'docs/architecture.md'), 'utf8')
    const expected = withModuleGraph(document, moduleGraphMermaid(await sources))
    assert.equal(document, expected, 'docs/architecture.md is out of date: run `npm run graph`')
  })
})
