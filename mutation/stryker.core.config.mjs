// Stryker for the pure core (packages/core): run/ and pipeline/.
//
// The core's mocha suites run compiled JavaScript from packages/core/out, so
// Stryker cannot hand mocha the TypeScript it mutated. Instead each sandbox
// (a copy of the monorepo, node_modules symlinked) is built with `tsc -b`
// after the mutants are placed in src/ (mutant schemata: every mutant is in
// the code at once, switched on by Stryker at run time, so one build serves
// all of them; Stryker marks mutated files @ts-nocheck so they compile). A TS
// loader would avoid the build but would run the suites in a way CI never
// does; the build takes seconds, once per sandbox.
//
// The TypeScript checker drops mutants that do not type-check before any test
// runs (they would otherwise count as killed by the compiler in a real
// build, which says nothing about the tests). Concurrency 1: the machine is
// shared with other suites.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['packages/core/src/run/**/*.ts', 'packages/core/src/pipeline/**/*.ts'],
  testRunner: 'mocha',
  mochaOptions: {
    'no-config': true,
    spec: ['packages/core/out/test/**/*.test.js'],
  },
  buildCommand: 'npx tsc -b packages/core/test',
  checkers: ['typescript'],
  tsconfigFile: 'packages/core/tsconfig.json',
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 10000,
  // Only what the core's build and tests need is copied into a sandbox (its
  // tests read docs/ and examples/, so those stay).
  ignorePatterns: ['/extension', '/test', '/bench', '/server', '/reports', '/.vscode-test'],
  incrementalFile: 'reports/mutation/core-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/core.html' },
  jsonReporter: { fileName: 'reports/mutation/core.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
