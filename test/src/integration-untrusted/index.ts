/**
 * Entry point of the untrusted pass (`runIntegration --untrusted`): the same
 * contract as ../integration/index.ts, for the suites of this folder, which
 * run in a workspace VS Code opened untrusted.
 */
import { runMochaSuites } from '../harness/mochaSuites';

/** Runs the suites of this folder; rejects when any test failed. */
export function run(): Promise<void> {
  return runMochaSuites(__dirname);
}
