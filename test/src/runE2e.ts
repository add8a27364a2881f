/**
 * Runs the end-to-end UI tests (test/src/e2e/*.test.ts): mocha in Node, each
 * suite driving the VS Code workbench in headless Chromium through the
 * harness. Exit code 0 when every test passed, 1 otherwise.
 *
 * Environment: BATON_TEST_TIMEOUT_MS (whole run, default 600000),
 * BATON_TEST_GREP (mocha grep), BATON_TEST_VERBOSE=1, BATON_TEST_KEEP=1.
 */
import * as path from 'node:path';
import Mocha from 'mocha';
import { runAllCleanups } from './harness/cleanup';
import { findCompiledTests } from './harness/compiledTests';
import { durationFromEnv } from './harness/deadline';
import { ensureCodeServer } from './harness/installCodeServer';
import { assertExtensionBuilt } from './harness/paths';

/** One UI test may take this long; opening a workbench has its own, longer deadline. */
const TEST_TIMEOUT_MS = 60_000;

async function runMocha(): Promise<number> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: TEST_TIMEOUT_MS,
    reporter: 'spec',
    // A stray .only must fail the run, not quietly narrow it to one test.
    forbidOnly: true,
  });
  const grep = process.env['BATON_TEST_GREP'];
  if (grep) mocha.grep(grep);
  for (const file of await findCompiledTests(path.join(__dirname, 'e2e'))) mocha.addFile(file);
  return new Promise((resolve) => mocha.run(resolve));
}

/** Stops everything and exits if the whole run overshoots its deadline. */
function armOverallDeadline(): void {
  const timeoutMs = durationFromEnv('BATON_TEST_TIMEOUT_MS', 600_000);
  setTimeout(() => {
    process.stderr.write(`e2e tests did not finish within ${timeoutMs} ms; stopping\n`);
    void runAllCleanups().finally(() => process.exit(1));
  }, timeoutMs).unref();
}

async function main(): Promise<number> {
  assertExtensionBuilt();
  // Install (or find) code-server before any test clock starts.
  await ensureCodeServer();
  const started = Date.now();
  armOverallDeadline();
  const failures = await runMocha();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`e2e tests ${failures === 0 ? 'passed' : 'FAILED'} in ${seconds} s\n`);
  return failures === 0 ? 0 : 1;
}

void main()
  .catch((error: unknown) => {
    process.stderr.write(
      `e2e tests could not run: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  })
  .then(async (code) => {
    await runAllCleanups();
    // Exit explicitly: a stray handle of a failed test must not keep CI waiting.
    process.exit(code);
  });
