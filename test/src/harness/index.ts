/**
 * The harness for Baton's VS Code tests. e2e suites (test/src/e2e/) import
 * {@link useWorkbench} or {@link Workbench} from here; integration suites
 * (test/src/integration/) run inside the extension host and need none of it.
 */
export { Workbench } from './workbench';
export type { WorkbenchOptions } from './workbench';
export { useWorkbench } from './useWorkbench';
export { waitFor, withDeadline } from './deadline';
export type { WaitOptions } from './deadline';
export { normaliseRenderedText } from './text';
export { activeWebview, docScreenshot } from './docScreenshot';
export { fixturesDir, repoRoot, testResultsDir } from './paths';
