/**
 * Runs the integration tests through `@vscode/test-electron`'s stock
 * `runTests`, the way most VS Code extensions do:
 *
 * - `node out/src/runTestElectron.js` downloads desktop VS Code
 *   (BATON_VSCODE_VERSION, default 1.96.4) into .vscode-test/ and runs the
 *   tests in it. Needs access to update.code.visualstudio.com, so it does not
 *   work on the offline CI machines (ENOTFOUND); `npm test` does not use it.
 * - `node out/src/runTestElectron.js --code-server` hands runTests
 *   scripts/code-server/vscode-shim.sh as the VS Code executable, which runs
 *   the same tests in code-server: the stock runner, offline.
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { assertExtensionBuilt, extensionDir, fixturesDir, repoRoot } from './harness/paths';

async function main(): Promise<void> {
  assertExtensionBuilt();
  const useCodeServer = process.argv.includes('--code-server');
  const code = await runTests({
    extensionDevelopmentPath: extensionDir,
    extensionTestsPath: path.join(__dirname, 'integration', 'index.js'),
    launchArgs: [path.join(fixturesDir, 'workspace')],
    ...(useCodeServer
      ? { vscodeExecutablePath: path.join(repoRoot, 'scripts', 'code-server', 'vscode-shim.sh') }
      : { version: process.env['BATON_VSCODE_VERSION'] ?? '1.96.4' }),
  });
  process.exitCode = code;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (!process.argv.includes('--code-server')) {
    process.stderr.write(
      'Without internet access use --code-server (runs the tests in code-server).\n',
    );
  }
  process.exitCode = 1;
});
