import { readFileSync, readlinkSync } from 'node:fs';
import { processTreeSnapshot } from '../process/processTree';

/** Whether a stage is blocked reading its stdin, as far as `/proc` can tell. */
export type StdinWait = 'waiting' | 'notWaiting' | 'unknown';

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function readLink(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

/** System call numbers that tell whether a sleeping process could be reading stdin. */
interface SyscallTable {
  readonly read: string;
  /** Calls that certainly do not read stdin: sleeping, waiting for a child, pausing. */
  readonly notReading: ReadonlySet<string>;
}

const SYSCALLS: Readonly<Record<string, SyscallTable>> = {
  x64: { read: '0', notReading: new Set(['34', '35', '61', '230', '247']) },
  arm64: { read: '63', notReading: new Set(['95', '101', '115', '260']) },
};

/**
 * What one process is doing, from `/proc/<pid>/syscall` (the call it sleeps
 * in and its arguments): reading fd 0 → true; sleeping, waiting for a child
 * or computing → false; anything else (an event loop in epoll or poll, which
 * may be watching stdin) or no access → undefined.
 */
function processWait(pid: number): boolean | undefined {
  const table = SYSCALLS[process.arch];
  const fields = readText(`/proc/${pid}/syscall`)?.split(' ');
  if (!table || !fields) return undefined;
  if (fields[0] === 'running') return false;
  if (fields[0] === table.read) return fields[1] === '0x0' ? true : undefined;
  return table.notReading.has(fields[0] ?? '') ? false : undefined;
}

/**
 * Tells whether the stage (the shell `rootPid` and everything under it) may
 * be waiting for input on its stdin: `waiting` when a process sharing that
 * stdin sleeps in a read of it, `notWaiting` when every such process is
 * certainly doing something else (sleeping, waiting for a child, computing),
 * so an unfinished line such as `Downloading... ` is a status message, not a
 * question. Event loops (Node, asyncio) sleep in epoll or poll, where the
 * kernel does not say what they wait for: `unknown`, and the caller falls
 * back to the silence alone.
 */
export function stdinWait(rootPid: number): StdinWait {
  const stdin = readLink(`/proc/${rootPid}/fd/0`);
  if (stdin === undefined) return 'unknown';
  let unknown = false;
  for (const entry of processTreeSnapshot(rootPid)) {
    if (readLink(`/proc/${entry.pid}/fd/0`) !== stdin) continue;
    const waiting = processWait(entry.pid);
    if (waiting === true) return 'waiting';
    if (waiting === undefined) unknown = true;
  }
  return unknown ? 'unknown' : 'notWaiting';
}
