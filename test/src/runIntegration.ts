/**
 * Runs the extension-host integration tests (test/src/integration/) in a real
 * VS Code: code-server from its cache, its workbench in headless Chromium.
 * Exit code 0 when every test passed, 1 otherwise.
 *
 * Options: --fixture=<name> opens test/fixtures/<name> (default `workspace`).
 * Environment: BATON_TEST_TIMEOUT_MS (whole run, default 300000),
 * BATON_TEST_GREP (mocha grep), BATON_TEST_VERBOSE=1, BATON_TEST_KEEP=1.
 */
import * as path from 'node:path';
import { durationFromEnv } from './harness/deadline';
import { runExtensionTests } from './harness/extensionTests';

/** The value of `--fixture=<name>` on the command line, if given. */
function fixtureArgument(): string | undefined {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--fixture='));
  return arg?.slice('--fixture='.length);
}

async function main(): Promise<void> {
  const started = Date.now();
  const fixture = fixtureArgument();
  const code = await runExtensionTests({
    ...(fixture ? { fixture } : {}),
    extensionTestsPath: path.join(__dirname, 'integration', 'index.js'),
    timeoutMs: durationFromEnv('BATON_TEST_TIMEOUT_MS', 300_000),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`integration tests ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s\n`);
  process.exitCode = code === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `integration tests could not run: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
