import Mocha from 'mocha';
import { findCompiledTests } from './compiledTests';

/**
 * Runs every compiled `*.test.js` under `compiledDir` with mocha, inside the
 * extension host; resolves when all pass, rejects with the failure count
 * otherwise (the workbench turns that into exit code 1). BATON_TEST_GREP,
 * when set in the environment of the test run, selects tests by title.
 */
export async function runMochaSuites(compiledDir: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 30_000,
    reporter: 'spec',
    // A stray .only must fail the run, not quietly narrow it to one test.
    forbidOnly: true,
  });
  const grep = process.env['BATON_TEST_GREP'];
  if (grep) mocha.grep(grep);
  for (const file of await findCompiledTests(compiledDir)) mocha.addFile(file);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0)
    throw new Error(`${failures} extension test${failures === 1 ? '' : 's'} failed`);
}
