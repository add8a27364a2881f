/**
 * Who a process is, in a way that survives pid reuse: pid plus the kernel's
 * start time of that pid (`/proc/<pid>/stat` field 22) plus the boot id. Read
 * straight from `/proc`; on systems without it the fields are undefined and
 * callers fall back on heartbeats.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

/** The identity fields a lock or owner file records. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  /** Start time of the process in clock ticks since boot (`/proc/<pid>/stat` field 22). */
  readonly processStartTime?: string;
  /** `/proc/sys/kernel/random/boot_id`: changes at every reboot. */
  readonly bootId?: string;
}

/** What `/proc/<pid>/stat` says about a process. */
export interface ProcessStat {
  /** One-letter state (field 3): `R`, `S`, `D`, `T`, `Z` (zombie), `X` (dead), … */
  readonly state: string;
  /** Start time in clock ticks since boot (field 22). */
  readonly startTime: string;
}

/**
 * Reads `/proc/<pid>/stat`; undefined when the process does not exist or
 * `/proc` is not available. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from its last `)`.
 */
export function readProcessStat(pid: number): ProcessStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the name start at field 3: state is index 0, start time (field 22) index 19.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, startTime] = [fields[0], fields[19]];
  if (state === undefined || startTime === undefined || !/^[0-9]+$/.test(startTime)) {
    return undefined;
  }
  return { state, startTime };
}

/** Start time of `pid` (`/proc/<pid>/stat` field 22), or undefined when unknown. */
export function readProcessStartTime(pid: number): string | undefined {
  return readProcessStat(pid)?.startTime;
}

let cachedBootId: string | null | undefined;

/** This machine's boot id, or undefined when `/proc` does not provide it. */
export function readBootId(): string | undefined {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId ?? undefined;
}

/** Whether a process with this pid exists on this machine (signal 0 probe). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The identity of the current process. */
export function currentProcessIdentity(): ProcessIdentity {
  const startTime = readProcessStartTime(process.pid);
  const bootId = readBootId();
  return {
    pid: process.pid,
    host: os.hostname(),
    ...(startTime === undefined ? {} : { processStartTime: startTime }),
    ...(bootId === undefined ? {} : { bootId }),
  };
}

/** Result of checking whether a recorded process still runs. */
export type ProcessVerdict =
  | { readonly kind: 'alive' }
  | { readonly kind: 'dead'; readonly why: string }
  /** Another host, or no `/proc`: liveness cannot be checked from here. */
  | { readonly kind: 'unknown'; readonly why: string };

/** Checks a recorded identity against this machine's processes. */
export function checkProcess(identity: ProcessIdentity): ProcessVerdict {
  if (identity.host !== os.hostname()) {
    return { kind: 'unknown', why: `it runs on another host (${identity.host})` };
  }
  const bootId = readBootId();
  if (identity.bootId !== undefined && bootId !== undefined && identity.bootId !== bootId) {
    return { kind: 'dead', why: 'the machine has restarted since it started' };
  }
  if (!isPidAlive(identity.pid)) {
    return { kind: 'dead', why: `process ${identity.pid} is gone` };
  }
  const stat = readProcessStat(identity.pid);
  if (stat !== undefined && (stat.state === 'Z' || stat.state === 'X')) {
    // Signal 0 still reaches a zombie: it has exited, its parent just has not reaped it.
    return { kind: 'dead', why: `process ${identity.pid} has exited (not yet reaped)` };
  }
  const startTime = stat?.startTime;
  if (identity.processStartTime === undefined || startTime === undefined) {
    return {
      kind: 'unknown',
      why: `process ${identity.pid} exists but its identity cannot be checked`,
    };
  }
  if (startTime !== identity.processStartTime) {
    return {
      kind: 'dead',
      why: `process ${identity.pid} is gone (its pid now belongs to another process)`,
    };
  }
  return { kind: 'alive' };
}
