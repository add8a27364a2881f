/**
 * Entry point the extension host loads as `extensionTestsPath` in the
 * packaged-extension check (`runPackages.ts`): Baton is not the extension
 * under development there but the one installed from the `.vsix`.
 */
import { runMochaSuites } from '../harness/mochaSuites';

/** Runs the suites of this folder; rejects when any test failed. */
export function run(): Promise<void> {
  return runMochaSuites(__dirname);
}
