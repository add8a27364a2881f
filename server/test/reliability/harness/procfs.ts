/**
 * Looks at live processes and sockets through /proc, independently of the
 * engine's own process code, so tests check the machine and not Baton's view
 * of it.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A live process found in /proc. */
export interface FoundProcess {
  readonly pid: number;
  readonly command: string;
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    // The process ended while we looked, or it is not ours to read.
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  const stat = readOrUndefined(`/proc/${pid}/stat`)?.toString('utf8') ?? '';
  return /\) [ZX] /.test(stat);
}

/** Live (not zombie) processes whose environment holds the entry `name=value`. */
export function processesWithEnvironment(name: string, value: string): FoundProcess[] {
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const found: FoundProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const environ = readOrUndefined(`/proc/${pid}/environ`);
    if (!environ || !Buffer.concat([Buffer.from([0]), environ]).includes(needle)) continue;
    if (isZombie(pid)) continue;
    const command = (readOrUndefined(`/proc/${pid}/cmdline`)?.toString('utf8') ?? '')
      .split('\0')
      .join(' ')
      .trim();
    found.push({ pid, command });
  }
  return found;
}

/** Live processes of a Baton run (stages carry `BATON_RUN_ID`). */
export function processesOfRun(runId: string): FoundProcess[] {
  return processesWithEnvironment('BATON_RUN_ID', runId);
}

/** Socket inodes among the open file descriptors of `pid`. */
export function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The descriptor was closed while we looked.
    }
  }
  return inodes;
}

/**
 * Inodes of every IPv4/IPv6 TCP and UDP socket in the network namespace of
 * `pid`, with the table it came from and its state (hex, `0A` is LISTEN).
 */
export function inetSockets(pid: number): Map<string, { table: string; state: string }> {
  const sockets = new Map<string, { table: string; state: string }>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const text = readOrUndefined(`/proc/${pid}/net/${table}`)?.toString('utf8') ?? '';
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const state = fields[3];
      const inode = fields[9];
      if (state !== undefined && inode !== undefined) sockets.set(inode, { table, state });
    }
  }
  return sockets;
}
