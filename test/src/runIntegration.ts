/**
 * Runs the extension-host integration tests (test/src/integration/) in a real
 * VS Code: code-server from its cache, its workbench in headless Chromium.
 * Exit code 0 when every test passed, 1 otherwise.
 *
 * Options: --fixture=<name> opens test/fixtures/<name> (default `workspace`);
 * --untrusted runs test/src/integration-untrusted/ instead, with workspace
 * trust on so the folder opens untrusted.
 * Environment: BATON_TEST_TIMEOUT_MS (the tests' run, default 600000),
 * BATON_TEST_GREP (mocha grep), BATON_TEST_VERBOSE=1, BATON_TEST_KEEP=1.
 */
import * as path from 'node:path';
import { runAllCleanups } from './harness/cleanup';
import { durationFromEnv } from './harness/deadline';
import { runExtensionTests } from './harness/extensionTests';
import { ensureCodeServer } from './harness/installCodeServer';
import { assertExtensionBuilt } from './harness/paths';

/** The value of `--fixture=<name>` on the command line, if given. */
function fixtureArgument(): string | undefined {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--fixture='));
  return arg?.slice('--fixture='.length);
}

async function main(): Promise<number> {
  assertExtensionBuilt();
  // Install (or find) code-server before the tests' clock starts.
  await ensureCodeServer();
  const started = Date.now();
  const fixture = fixtureArgument();
  const untrusted = process.argv.includes('--untrusted');
  const code = await runExtensionTests({
    ...(fixture ? { fixture } : {}),
    workspaceTrust: untrusted,
    extensionTestsPath: path.join(
      __dirname,
      untrusted ? 'integration-untrusted' : 'integration',
      'index.js',
    ),
    timeoutMs: durationFromEnv('BATON_TEST_TIMEOUT_MS', 600_000),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const pass = untrusted ? 'untrusted-workspace integration tests' : 'integration tests';
  process.stdout.write(`${pass} ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s\n`);
  return code === 0 ? 0 : 1;
}

void main()
  .catch((error: unknown) => {
    process.stderr.write(
      `integration tests could not run: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  })
  .then(async (code) => {
    await runAllCleanups();
    // Exit explicitly: nothing left behind by a failed start may keep CI waiting.
    process.exit(code);
  });
