import * as os from 'node:os';
import * as path from 'node:path';

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
//
// Endless loops: Stryker runs mocha with its timeouts off, and a synchronous
// loop would block mocha's timer anyway, so a mutant that makes a parser or a
// queue spin used to cost the whole Stryker timeout and a restart of the test
// runner (on a loaded machine `pipeline/` did not finish in 70 minutes).
// `test/syncTestLimit.js` runs each test's synchronous part under a `vm`
// time limit: twice the time the test took in the dry run plus 5 s, so the
// spinning test fails, mocha bails, and the mutant is killed by that test,
// with no restart. Stryker's own timeout stays as the backstop for
// asynchronous hangs. A test the runner has not seen pass (the dry run
// itself, or a runner restarted after a timeout) gets the generous limit
// below: the fuzz and property tests take tens of seconds instrumented on a
// loaded machine.
process.env.BATON_SYNC_TEST_LIMIT_MS ??= '180000';
// The times learnt in the dry run outlive a runner Stryker restarts (one file per Stryker run).
process.env.BATON_SYNC_TEST_TIMES ??= path.join(
  os.tmpdir(),
  `baton-sync-test-times-${process.pid}.json`,
);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['packages/core/src/run/**/*.ts', 'packages/core/src/pipeline/**/*.ts'],
  testRunner: 'mocha',
  mochaOptions: {
    'no-config': true,
    spec: ['packages/core/out/test/**/*.test.js'],
    require: ['packages/core/out/test/syncTestLimit.js'],
  },
  buildCommand: 'npx tsc -b packages/core/test',
  checkers: ['typescript'],
  tsconfigFile: 'packages/core/tsconfig.json',
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 8000,
  timeoutFactor: 1.5,
  // Only what the core's build and tests need is copied into a sandbox (its
  // tests read docs/ and examples/, so those stay).
  // Another Stryker run's sandboxes (core and server measured at once) are not part of this one.
  ignorePatterns: [
    '/extension',
    '/test',
    '/bench',
    '/server',
    '/reports',
    '/.vscode-test',
    '/.stryker-tmp*',
  ],
  incrementalFile: 'reports/mutation/core-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/core.html' },
  jsonReporter: { fileName: 'reports/mutation/core.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
