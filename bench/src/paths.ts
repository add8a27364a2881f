import * as path from 'node:path';

/** The repository's root (bench/out/src → three levels up). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The `baton` command's script, run with the current Node. */
export const BATON_BIN = path.join(REPO_ROOT, 'server', 'bin', 'baton.js');

/** The script that installs the peers from Debian packages. */
export const INSTALL_PEERS_SCRIPT = path.join(REPO_ROOT, 'scripts', 'install-bench-peers.sh');
