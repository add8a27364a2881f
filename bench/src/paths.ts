import { statSync } from 'node:fs';
import * as path from 'node:path';

/** The repository's root (bench/out/src → three levels up). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The `baton` command's script, run with the current Node. `BATON_BENCH_BIN`
 * points the bench at another build (a patched copy, an older checkout) to
 * compare two builds on the same machine.
 */
export const BATON_BIN =
  process.env.BATON_BENCH_BIN ?? path.join(REPO_ROOT, 'server', 'bin', 'baton.js');

/** The script that installs the peers from Debian packages. */
export const INSTALL_PEERS_SCRIPT = path.join(REPO_ROOT, 'scripts', 'install-bench-peers.sh');

/**
 * Why the `baton` the bench runs is not the build of this checkout's sources
 * (`server/dist/baton.js` older than `server/out/`: `bin/baton.js` would then
 * run the unbundled CLI, which keeps no dry-run plans and starts slower), or
 * undefined when it is. Not asked when `BATON_BENCH_BIN` names another build.
 */
export function staleBundleProblem(): string | undefined {
  if (process.env.BATON_BENCH_BIN !== undefined) return undefined;
  const server = path.join(REPO_ROOT, 'server');
  const bundledAt = mtimeOf(path.join(server, 'dist', 'baton.js'));
  const compiledAt = mtimeOf(path.join(server, 'out', 'tsconfig.tsbuildinfo'));
  if (bundledAt !== undefined && (compiledAt === undefined || bundledAt >= compiledAt)) {
    return undefined;
  }
  return 'server/dist/baton.js is missing or older than server/out/: run `npm run build` (or `node esbuild.mjs`) first, so the bench measures the CLI users run';
}

function mtimeOf(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}
