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
