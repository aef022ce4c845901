// npm run graph: writes the module graph, as the code has it now, into docs/architecture.md.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cruiseSources, moduleGraphMermaid, repoRoot, withModuleGraph } from './architecture.js'

const documentPath = path.join(repoRoot, 'docs/architecture.md')
const document = await readFile(documentPath, 'utf8')
const updated = withModuleGraph(document, moduleGraphMermaid(await cruiseSources()))
await writeFile(documentPath, updated)
process.stdout.write(
  updated === document ? 'docs/architecture.md: graph unchanged\n' : 'docs/architecture.md: graph updated\n',
)
