/**
 * Entry point the VS Code extension host loads as `extensionTestsPath` (the
 * `@vscode/test-electron` contract): runs every compiled `*.test.js` under this
 * folder with mocha, inside the extension host, where `vscode` is the real API.
 */
import { runMochaSuites } from '../harness/mochaSuites';

/** Runs the suites of this folder; rejects when any test failed. */
export function run(): Promise<void> {
  return runMochaSuites(__dirname);
}
