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
let cruised: ReturnType<typeof cruiseSources> | undefined
const sources = () => (cruised ??= cruiseSources())

describe('the import rules (.dependency-cruiser.cjs)', () => {
  it('find no cycle, no import of another module’s internals and no upward arrow in src/', async () => {
    // Arrows first, then cycles: one wrong arrow closes many cycles, so it is the line to read.
    const violations = (await sources()).summary.violations
      .map(describeViolation)
      .sort((a, b) => Number(a.startsWith('no-circular:')) - Number(b.startsWith('no-circular:')))
    assert.equal(violations.length, 0, `${violations.length} violations:\n${violations.join('\n')}`)
  })

  it('fail on a new import cycle between two modules and name both files', async () => {
    const violations = await violationsOf({
      'src/modules/efile/index.ts':
        "import { postbox } from '../postbox/index.js'\nexport const efile = () => postbox\n",
      'src/modules/postbox/index.ts': "import { efile } from '../efile/index.js'\nexport const postbox = () => efile\n",
    })

    const cycles = violations.filter(line => line.startsWith('no-circular:'))
    assert.ok(cycles.length > 0, `no cycle reported:\n${violations.join('\n')}`)
    for (const file of ['src/modules/efile/index.ts', 'src/modules/postbox/index.ts']) {
      assert.ok(cycles[0].includes(file), `${cycles[0]} does not name ${file}`)
    }
  })

  it('fail on an upward arrow, an import of internals, and the platform or a module importing the composition root', async () => {
    const violations = await violationsOf({
      'src/app.ts': "export const app = 'root'\n",
      'src/platform/db.ts': "import { app } from '../app.js'\nexport const db = app\n",
      'src/platform/audit.ts': "import { cases } from '../modules/cases/index.js'\nexport const audit = cases\n",
      'src/modules/payments/index.ts': "export const payments = 'payments'\n",
      'src/modules/payments/payments.fees.ts': "export const fees = 'fees'\n",
      'src/modules/cases/index.ts': [
        "import { payments } from '../payments/index.js'",
        "import { fees } from '../payments/payments.fees.js'",
        "import { app } from '../../app.js'",
        'export const cases = [payments, fees, app]',
        '',
      ].join('\n'),
    })

    assert.deepEqual(violations.sort(), [
      'layer-5-imports-no-higher-layer: src/modules/cases/index.ts → src/modules/payments/index.ts',
      'layer-5-imports-no-higher-layer: src/modules/cases/index.ts → src/modules/payments/payments.fees.ts',
      'module-internals: src/modules/cases/index.ts → src/modules/payments/payments.fees.ts',
      'modules-import-no-composition-root: src/modules/cases/index.ts → src/app.ts',
      'platform-imports-no-module: src/platform/audit.ts → src/modules/cases/index.ts',
      'platform-imports-no-module: src/platform/db.ts → src/app.ts',
    ])
  })
})

/** The violations the rules find in a throw-away tree of these files (paths as under the repository). */
async function violationsOf(files: Record<string, string>): Promise<string[]> {
  const fixture = await mkdtemp(path.join(os.tmpdir(), 'bauhaus-rules-'))
  try {
    await writeFile(
      path.join(fixture, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    )
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(fixture, file)), { recursive: true })
      await writeFile(path.join(fixture, file), text)
    }
    return (await cruiseSources(fixture)).summary.violations.map(describeViolation)
  } finally {
    await rm(fixture, { recursive: true, force: true })
  }
}

describe('the module graph in docs/architecture.md', () => {
  it('is the graph the code has now (npm run graph refreshes it)', async () => {
    const document = await readFile(path.join(repoRoot, 'docs/architecture.md'), 'utf8')
    const expected = withModuleGraph(document, moduleGraphMermaid(await sources()))
    assert.equal(document, expected, 'docs/architecture.md is out of date: run `npm run graph`')
  })
})
