import { Workbench } from './workbench';
import type { WorkbenchOptions } from './workbench';

const OPEN_TIMEOUT_MS = 120_000;

/**
 * Mocha helper for e2e suites: opens one workbench before the suite's tests
 * and closes it after them; a failing test leaves a screenshot
 * test-results/failed-<title>.png. Returns a getter for use inside tests:
 *
 *     const workbench = useWorkbench();
 *     it('…', async () => { await workbench().runCommand('Baton: Run Pipeline'); });
 */
export function useWorkbench(options: WorkbenchOptions = {}): () => Workbench {
  let workbench: Workbench | undefined;
  before(async function () {
    this.timeout(OPEN_TIMEOUT_MS);
    workbench = await Workbench.open(options);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (workbench && test?.state === 'failed') {
      const file = await workbench.screenshot(`failed-${test.fullTitle()}`);
      process.stdout.write(`[harness] screenshot of the failure: ${file}\n`);
    }
  });
  after(async function () {
    this.timeout(OPEN_TIMEOUT_MS);
    await workbench?.close();
    workbench = undefined;
  });
  return () => {
    if (!workbench)
      throw new Error('the workbench is not open: call useWorkbench() inside describe()');
    return workbench;
  };
}
