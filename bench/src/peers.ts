import { spawnSync } from 'node:child_process';
import { INSTALL_PEERS_SCRIPT } from './paths';

/** The programs Baton is compared with. */
export const PEER_NAMES = ['make', 'snakemake'] as const;

/** Where a program is on the PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v "$1"`, 'sh', name], { encoding: 'utf8' });
  const location = found.stdout.trim();
  return found.status === 0 && location.length > 0 ? location : undefined;
}

/** The peers present now, by name. */
export function locatePeers(): Map<string, string> {
  const peers = new Map<string, string>();
  for (const name of PEER_NAMES) {
    const location = findOnPath(name);
    if (location !== undefined) peers.set(name, location);
  }
  return peers;
}

/**
 * Finds the peers, first running scripts/install-bench-peers.sh when some are
 * missing (it installs Debian packages as root and only reports otherwise).
 * A peer that is still missing afterwards is simply absent from the map.
 */
export function ensurePeers(install: boolean, log: (message: string) => void): Map<string, string> {
  const found = locatePeers();
  if (found.size === PEER_NAMES.length || !install) return found;
  const missing = PEER_NAMES.filter((name) => !found.has(name));
  log(`peers missing: ${missing.join(', ')}; running ${INSTALL_PEERS_SCRIPT}`);
  const result = spawnSync('bash', [INSTALL_PEERS_SCRIPT], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) log(`the peer install script failed (exit ${String(result.status)})`);
  return locatePeers();
}
