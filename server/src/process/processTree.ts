/**
 * Reads the Linux process table from `/proc`: who is whose child, which
 * process group and session a process belongs to, and enough figures (state,
 * CPU, memory) to explain a hung stage. Every read tolerates the process
 * vanishing between the directory listing and the file read, which is the
 * normal case on a busy machine.
 *
 * The reads are synchronous on purpose: `/proc` lives in memory, a full scan of
 * a few hundred processes takes a few milliseconds, and callers (the tree
 * killer, hang diagnosis) need a consistent snapshot rather than interleaving.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readProcText } from './procFile';
import { withoutGate } from './stageGate';

/** One process as seen in `/proc/<pid>/stat`. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** Process group id. */
  readonly pgid: number;
  /** Session id. */
  readonly sid: number;
  /** One-letter state: R running, S sleeping, D disk wait, T stopped, Z zombie, … */
  readonly state: string;
  /** The executable name (`comm`, at most 15 characters). */
  readonly name: string;
  /** User plus system CPU time, in seconds. */
  readonly cpuSeconds: number;
  /** Resident memory, in KiB. */
  readonly rssKb: number;
  /** Start time in clock ticks after boot (field 22): with the pid, it names a process uniquely. */
  readonly startTime: number;
}

/** A process in a hang-diagnosis snapshot: its stat figures plus its full command line. */
export interface ProcessSnapshotEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly state: string;
  /** The command line (arguments joined by spaces), or the executable name when it is unreadable. */
  readonly command: string;
  readonly cpuSeconds: number;
  readonly rssKb: number;
}

/**
 * Clock ticks per second (`sysconf(_SC_CLK_TCK)`). Node cannot ask the kernel,
 * and Linux has fixed USER_HZ at 100 on every architecture it supports.
 */
const CLOCK_TICKS_PER_SECOND = 100;
/** Page size used to turn the `rss` page count into KiB; 4 KiB on x86-64 and most arm64 kernels. */
const PAGE_KB = 4;

/** Reads one process, or returns undefined when it does not exist (or is unreadable). */
export function readProcess(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readProcText(`/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
  return parseStat(stat);
}

/**
 * Parses the text of `/proc/<pid>/stat`. The executable name is in parentheses
 * and may itself contain spaces and parentheses, so the fields are counted from
 * the last `)`.
 */
export function parseStat(stat: string): ProcessInfo | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // fields[0] is field 3 of proc(5) (state), so field N is fields[N - 3].
  const field = (n: number): number => Number(fields[n - 3]);
  const info: ProcessInfo = {
    pid: Number(stat.slice(0, open).trim()),
    name: stat.slice(open + 1, close),
    state: fields[0] ?? '?',
    ppid: field(4),
    pgid: field(5),
    sid: field(6),
    cpuSeconds: (field(14) + field(15)) / CLOCK_TICKS_PER_SECOND,
    startTime: field(22),
    rssKb: field(24) * PAGE_KB,
  };
  return Number.isFinite(info.pid) && Number.isFinite(info.startTime) ? info : undefined;
}

/** Every process currently in `/proc`. */
export function listProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const processes: ProcessInfo[] = [];
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue; // only the numeric entries are processes
    const info = readProcess(Number(entry));
    if (info) processes.push(info);
  }
  return processes;
}

/**
 * All descendants of `pid` (children, grandchildren, …) following parent links,
 * in breadth-first order. Pass `processes` to reuse one scan for several queries.
 */
export function descendantsOf(
  pid: number,
  processes: readonly ProcessInfo[] = listProcesses(),
): ProcessInfo[] {
  const childrenOf = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    const siblings = childrenOf.get(p.ppid);
    if (siblings) siblings.push(p);
    else childrenOf.set(p.ppid, [p]);
  }
  const result: ProcessInfo[] = [];
  const seen = new Set<number>([pid]);
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of childrenOf.get(next) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}

/** The processes whose process group is `pgid`. */
export function groupMembers(
  pgid: number,
  processes: readonly ProcessInfo[] = listProcesses(),
): ProcessInfo[] {
  return processes.filter((p) => p.pgid === pgid);
}

/** Whether a process is dead or a zombie (a zombie has exited and only waits to be reaped). */
export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/**
 * The start time of a process (field 22 of `/proc/<pid>/stat`, clock ticks after
 * boot), or undefined when it does not exist. Record it with a pid to tell the
 * process apart from a later one that reuses the pid.
 */
export function processStartTime(pid: number): number | undefined {
  return readProcess(pid)?.startTime;
}

/**
 * Whether a process exists and has not exited (zombies count as exited). With
 * `startTime`, a different process that reuses the pid does not count.
 */
export function isProcessAlive(pid: number, startTime?: number): boolean {
  const info = readProcess(pid);
  if (!info || isDeadState(info.state)) return false;
  return startTime === undefined || info.startTime === startTime;
}

/**
 * The process tree under `rootPid` (the root itself first, then its
 * descendants and any other member of its process group) with command lines,
 * CPU and memory: what a user needs to see why a stage hangs.
 */
export function processTreeSnapshot(rootPid: number): ProcessSnapshotEntry[] {
  const processes = listProcesses();
  const root = processes.find((p) => p.pid === rootPid);
  const members = new Map<number, ProcessInfo>();
  if (root) members.set(root.pid, root);
  for (const p of descendantsOf(rootPid, processes)) members.set(p.pid, p);
  for (const p of groupMembers(rootPid, processes)) members.set(p.pid, p);
  return [...members.values()].map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    pgid: p.pgid,
    state: p.state,
    command: readCommandLine(p.pid) ?? p.name,
    cpuSeconds: p.cpuSeconds,
    rssKb: p.rssKb,
  }));
}

/**
 * The command line of a process, or undefined when it is empty (zombies,
 * kernel threads) or gone. A stage's shell shows the command as written,
 * without the gate in front of it.
 */
export function readCommandLine(pid: number): string | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const command = raw.replace(/\0+$/, '').replaceAll('\0', ' ');
    return command === '' ? undefined : withoutGate(command);
  } catch {
    return undefined;
  }
}

/**
 * The processes whose environment contains the exact entry `marker` (for
 * example `BATON_PROCESS_TOKEN=abc`). A stage's processes inherit the token
 * its shell was started with, so this finds them even after they left the
 * process group and the parent chain. Looks at `candidates` when given, else
 * at every process. Unreadable environments are skipped.
 */
export function processesWithEnvironmentEntry(
  marker: string,
  excludePid: number,
  candidates: readonly ProcessInfo[] = listProcesses(),
): ProcessInfo[] {
  const needle = Buffer.from(`\0${marker}\0`);
  const found: ProcessInfo[] = [];
  for (const p of candidates) {
    if (p.pid === excludePid || isDeadState(p.state)) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${p.pid}/environ`);
    } catch {
      continue;
    }
    // Entries are NUL-separated; a leading NUL lets the first entry match too.
    const padded = Buffer.concat([NUL, environ]);
    if (padded.includes(needle)) found.push(p);
  }
  return found;
}

/**
 * The children of a process as the kernel lists them (`/proc/<pid>/task/<tid>/children`
 * of every thread), or undefined when the kernel does not offer the list.
 */
export function childrenOf(pid: number): number[] | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const task of tasks) {
    let text: string;
    try {
      text = readProcText(`/proc/${pid}/task/${task}/children`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && task === String(pid))
        return undefined;
      continue;
    }
    for (const child of text.split(' ')) if (child !== '') children.push(Number(child));
  }
  return children;
}

/**
 * The live processes of the trees under `roots` (roots included), found by
 * following the kernel's children lists: cost grows with the size of the
 * trees, not with the number of processes on the machine. Undefined when the
 * kernel does not offer children lists (then scan with `listProcesses`).
 */
export function subtreesOf(roots: readonly number[]): ProcessInfo[] | undefined {
  const found: ProcessInfo[] = [];
  const seen = new Set<number>();
  const queue = [...roots];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    if (seen.has(pid)) continue;
    seen.add(pid);
    const info = readProcess(pid);
    if (!info || isDeadState(info.state)) continue;
    found.push(info);
    const children = childrenOf(pid);
    if (!children) return undefined;
    queue.push(...children);
  }
  return found;
}

/**
 * Whether the process group `pgid` has any member, zombies included, by
 * signal 0: one system call instead of a scan of `/proc`.
 */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const NUL = Buffer.from([0]);
