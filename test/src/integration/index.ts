/**
 * Entry point the VS Code extension host loads as `extensionTestsPath` (the
 * `@vscode/test-electron` contract): runs every compiled `*.test.js` under this
 * folder with mocha, inside the extension host, where `vscode` is the real API.
 */
import * as path from 'node:path';
import { glob } from 'glob';
import Mocha from 'mocha';

/**
 * Runs the suites; resolves when all pass, rejects with the failure count
 * otherwise (the workbench turns that into exit code 1). BATON_TEST_GREP,
 * when set in the environment of the test run, selects tests by title.
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env['BATON_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const files = await glob('**/*.test.js', { cwd: __dirname, absolute: true });
  if (files.length === 0) throw new Error(`no *.test.js files under ${__dirname}`);
  for (const file of files.sort()) mocha.addFile(path.resolve(file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0)
    throw new Error(`${failures} extension test${failures === 1 ? '' : 's'} failed`);
}
