import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The repository root. Compiled harness files live in test/out/src/harness/,
 * four levels below it; the sources are one level shallower, so look for the
 * root package.json instead of counting.
 */
export const repoRoot: string = findRepoRoot(__dirname);

/** The extension under development, as VS Code loads it (its package.json `main` is dist/extension.js). */
export const extensionDir: string = path.join(repoRoot, 'extension');

/** The bundle `npm run build` writes; without it the extension cannot activate. */
export const extensionBundle: string = path.join(extensionDir, 'dist', 'extension.js');

/** Fixture workspaces, one folder each: test/fixtures/<name>. */
export const fixturesDir: string = path.join(repoRoot, 'test', 'fixtures');

/** Screenshots and other artifacts of test runs (gitignored). */
export const testResultsDir: string = path.join(repoRoot, 'test-results');

/** The script that installs code-server into its cache and prints where. */
export const installScript: string = path.join(repoRoot, 'scripts', 'code-server', 'install.sh');

/** Compiled test output of this workspace: test/out/src. */
export const compiledTestsDir: string = path.join(repoRoot, 'test', 'out', 'src');

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'esbuild.mjs')) && fs.existsSync(path.join(dir, 'test'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`cannot find the Baton repository root above ${start}`);
    }
  }
}

/**
 * Fails with a clear message when the extension has not been bundled, instead
 * of letting VS Code start and report an activation error much later.
 */
export function assertExtensionBuilt(): void {
  if (!fs.existsSync(extensionBundle)) {
    throw new Error(
      `${path.relative(repoRoot, extensionBundle)} is missing: run \`npm run build\` at the repository root first`,
    );
  }
}
