// Stryker for the server modules where a wrong line costs most: framing,
// masking, workflow commands, atomic files, the event log and the lock.
//
// As for the core (see stryker.core.config.mjs): the suites run compiled
// JavaScript from server/out, so each sandbox is built with `tsc -b server`
// after the mutants are placed. Only the test files that exercise these
// modules run (the whole server suite takes minutes of real processes per
// dry run; coverage analysis then picks the tests per mutant anyway).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'server/src/rpc/frame*.ts',
    'server/src/output/masker.ts',
    'server/src/output/workflowCommands.ts',
    'server/src/store/atomicFile.ts',
    'server/src/store/eventLog.ts',
    'server/src/store/lock.ts',
  ],
  testRunner: 'mocha',
  mochaOptions: {
    'no-config': true,
    spec: [
      'server/out/test/rpc/frame*.test.js',
      'server/out/test/output/*.test.js',
      'server/out/test/store/*.test.js',
    ],
    // As root, that test runs its writer as `nobody`, who cannot read a
    // sandbox (Stryker makes them 0700); the permission path it covers is
    // plain error wrapping that the ENOSPC tests reach too.
    grep: '^(?!.*in a read-only directory)',
  },
  buildCommand: 'npx tsc -b server',
  checkers: ['typescript'],
  tsconfigFile: 'server/tsconfig.json',
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 30000,
  ignorePatterns: [
    '/extension',
    '/test',
    '/bench',
    '/docs',
    '/reports',
    '/.vscode-test',
    '/.stryker-tmp*',
  ],
  incrementalFile: 'reports/mutation/server-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/server.html' },
  jsonReporter: { fileName: 'reports/mutation/server.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 85, low: 80, break: null },
};
