// The import rules of Bauhaus (docs/architecture.md explains the layers and why).
// Run: `npx depcruise src` — tests/architecture.test.ts runs the same rules in `npm test`.

const { layers, compositionRoot } = require('./scripts/layers.cjs')

const compositionRootPath = `^(${compositionRoot.map(file => file.replace(/[.]/g, '[.]')).join('|')})$`
const modulesPath = names => `^src/modules/(${names.join('|')})/`

const layerRules = layers.slice(0, -1).map((names, index) => {
  const higher = layers.slice(index + 1).flat()
  return {
    name: `layer-${index + 2}-imports-no-higher-layer`,
    comment: `${names.join(', ')} (layer ${index + 2}) must not import a higher layer (${higher.join(', ')}): arrows point down. Invert the dependency: pass a function in, or move the shared type down.`,
    severity: 'error',
    from: { path: modulesPath(names) },
    to: { path: modulesPath(higher) },
  }
})

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles tie files (and so modules) together: every file of a cycle changes with every other.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'module-internals',
      comment:
        "A module is used only through its index.ts: import '../<module>/index.js', never another of its files.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index[.]ts$'] },
    },
    {
      name: 'platform-imports-no-module',
      comment: 'src/platform is the bottom layer: it imports no module and not the composition root.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: ['^src/modules/', compositionRootPath] },
    },
    {
      name: 'modules-import-no-composition-root',
      comment: 'Only the composition root knows every module; a module gets what it needs passed in.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: compositionRootPath },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '[.]d[.]ts$'] },
    // Type-only imports count: a type imported from a higher layer is an upward arrow all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
}
