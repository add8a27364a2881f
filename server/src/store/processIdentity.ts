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

/**
 * Start time of `pid` in clock ticks since boot, or undefined when the process
 * does not exist or `/proc` is not available. The command name (field 2) may
 * hold spaces and parentheses, so fields are counted from its last `)`.
 */
export function readProcessStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const afterName = stat.slice(stat.lastIndexOf(')') + 2);
  // Fields after the name start at field 3, so field 22 is index 19.
  const field = afterName.split(' ')[19];
  return field !== undefined && /^[0-9]+$/.test(field) ? field : undefined;
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
  const startTime = readProcessStartTime(identity.pid);
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
