/**
 * Stands in for a VS Code executable so that `@vscode/test-electron`'s
 * `runTests({ vscodeExecutablePath })` works unchanged without a downloadable
 * VS Code: it takes the desktop command line runTests builds
 * (`--extensionDevelopmentPath=…`, `--extensionTestsPath=…`, a workspace
 * folder, Electron flags) and runs the same tests in code-server's extension
 * host. Started through scripts/code-server/vscode-shim.sh.
 */
import { durationFromEnv } from './deadline';
import { runExtensionTests } from './extensionTests';

/** What the shim takes from the desktop command line; the rest does not apply. */
interface ShimArguments {
  readonly extensionDevelopmentPath: string;
  readonly extensionTestsPath: string;
  readonly workspace: string | undefined;
}

function valueOf(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const found = args.filter((arg) => arg.startsWith(prefix)).map((arg) => arg.slice(prefix.length));
  if (found.length > 1)
    throw new Error(`--${name} given ${found.length} times; the shim loads one`);
  return found[0];
}

function parseArguments(args: readonly string[]): ShimArguments {
  const extensionDevelopmentPath = valueOf(args, 'extensionDevelopmentPath');
  const extensionTestsPath = valueOf(args, 'extensionTestsPath');
  if (!extensionDevelopmentPath || !extensionTestsPath) {
    throw new Error('expected --extensionDevelopmentPath=<dir> and --extensionTestsPath=<file>');
  }
  // Flags this shim ignores all start with "-"; a bare argument is the folder to open.
  const workspace = args.find((arg) => !arg.startsWith('-'));
  return { extensionDevelopmentPath, extensionTestsPath, workspace };
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const code = await runExtensionTests({
    extensionDevelopmentPath: args.extensionDevelopmentPath,
    extensionTestsPath: args.extensionTestsPath,
    ...(args.workspace ? { fixture: args.workspace } : {}),
    timeoutMs: durationFromEnv('BATON_TEST_TIMEOUT_MS', 600_000),
  });
  process.exitCode = code === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`vscode-shim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
