/**
 * Remembers processes that left a stage's process group (by calling `setsid`
 * or `setpgid`, as daemons do) while their parent chain still led back to the
 * stage. Once the stage's shell exits, those processes are reparented to init
 * and nothing in `/proc` ties them to the stage any more, so they must be
 * noticed while the stage still runs.
 *
 * One shared timer samples every tracked stage. It follows the kernel's
 * children lists from each stage's shell, so the cost grows with the stages'
 * own process trees, not with the number of processes on the machine.
 */
import { descendantsOf, isDeadState, listProcesses, subtreesOf } from './processTree';
import type { ProcessInfo } from './processTree';

/** A process named by pid and start time, which stays unique when pids are reused. */
export interface ProcessRef {
  readonly pid: number;
  readonly startTime: number;
}

/** What the tracker remembers for one stage. */
export interface EscapeeTracking {
  /** Processes seen outside the stage's group but descending from the stage (or from an earlier escapee). */
  escapees(): ProcessRef[];
  /** Samples now (for example just before a kill) in addition to the timer. */
  sample(processes?: readonly ProcessInfo[]): void;
  /** Stops tracking this stage. */
  stop(): void;
}

/** How often the shared timer scans `/proc` while at least one stage is tracked. */
export const DEFAULT_TRACK_INTERVAL_MS = 1000;

interface Tracked {
  readonly leaderPid: number;
  readonly pgid: number;
  readonly found: Map<number, number>;
}

const tracked = new Set<Tracked>();
let timer: NodeJS.Timeout | undefined;
let timerIntervalMs = Infinity;

/**
 * Starts remembering escapees of the stage whose shell is `leaderPid` in group
 * `pgid`. The shared timer runs at the shortest interval any tracked stage asked for.
 */
export function trackEscapees(
  leaderPid: number,
  pgid: number,
  intervalMs = DEFAULT_TRACK_INTERVAL_MS,
): EscapeeTracking {
  const entry: Tracked = { leaderPid, pgid, found: new Map() };
  tracked.add(entry);
  ensureTimer(intervalMs);
  return {
    escapees: () => [...entry.found].map(([pid, startTime]) => ({ pid, startTime })),
    sample: (processes) => sampleOne(entry, processes ?? processesOf(entry)),
    stop: () => {
      tracked.delete(entry);
      if (tracked.size === 0) stopTimer();
    },
  };
}

function ensureTimer(intervalMs: number): void {
  if (timer && timerIntervalMs <= intervalMs) return;
  stopTimer();
  timerIntervalMs = intervalMs;
  timer = setInterval(() => {
    // One full scan shared by all stages, only when the kernel cannot list children.
    let scan: ProcessInfo[] | undefined;
    for (const entry of tracked) {
      sampleOne(entry, subtreesOf(roots(entry)) ?? (scan ??= listProcesses()));
    }
  }, intervalMs);
  // Tracking must never keep the engine alive on its own.
  timer.unref();
}

function stopTimer(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
  timerIntervalMs = Infinity;
}

/** The stage's leader and the escapees found so far: the trees to look at. */
function roots(entry: Tracked): number[] {
  return [entry.leaderPid, ...entry.found.keys()];
}

function processesOf(entry: Tracked): ProcessInfo[] {
  return subtreesOf(roots(entry)) ?? listProcesses();
}

/**
 * Records every live descendant of the leader, or of an escapee already known,
 * that sits outside the stage's group, and forgets escapees that have exited.
 */
function sampleOne(entry: Tracked, processes: readonly ProcessInfo[]): void {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  for (const [pid, startTime] of entry.found) {
    const now = byPid.get(pid);
    if (!now || now.startTime !== startTime || isDeadState(now.state)) entry.found.delete(pid);
  }
  for (const root of roots(entry)) {
    for (const p of descendantsOf(root, processes)) {
      if (p.pgid !== entry.pgid && !isDeadState(p.state)) entry.found.set(p.pid, p.startTime);
    }
  }
}
