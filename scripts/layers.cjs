// The layers of Bauhaus, shared by .dependency-cruiser.cjs (the rules) and scripts/module-graph.ts (the picture).
// docs/architecture.md says why each module sits where it does.

/** Modules by layer, lowest first; a module imports only from its own layer or below (and acyclically). */
const layers = [
  ['catalogue', 'forms', 'legal'],
  ['accounts', 'staff'],
  ['mandates', 'efile', 'postbox', 'identity', 'booking'],
  ['cases'],
  [
    'payments',
    'notices',
    'reports',
    'contact',
    'triage',
    'applications',
    'treasury',
    'open311',
    'suggestions',
    'video',
    'appointments',
    'facilities',
  ],
  ['privacy', 'retention'],
]

/** The only files that know every module: they wire the features into the kernel and the lower layers. */
const compositionRoot = [
  'src/boot.ts',
  'src/boot.checks.ts',
  'src/app.ts',
  'src/jobs.ts',
  'src/main.ts',
  'src/cli.ts',
  'src/seed.ts',
  'src/demo-cases.ts',
  'src/case-kernel.ts',
  'src/extensions.ts',
  'src/personal-data.ts',
  'src/retention.ts',
  'src/identity.ts',
]

module.exports = { layers, compositionRoot }
