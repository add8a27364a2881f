/**
 * Remembers processes that left a stage's process group (by calling `setsid`
 * or `setpgid`, as daemons do) while their parent chain still led back to the
 * stage. Once the stage's shell exits, those processes are reparented to init
 * and nothing in `/proc` ties them to the stage any more, so they must be
 * noticed while the stage still runs.
 *
 * One shared timer scans `/proc` for every tracked stage at once, so the cost
 * is one scan per interval however many stages run.
 */
import { descendantsOf, isDeadState, listProcesses } from './processTree';
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
    sample: (processes = listProcesses()) => sampleOne(entry, processes),
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
    const processes = listProcesses();
    for (const entry of tracked) sampleOne(entry, processes);
  }, intervalMs);
  // Tracking must never keep the engine alive on its own.
  timer.unref();
}

function stopTimer(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
  timerIntervalMs = Infinity;
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
  const roots = [entry.leaderPid, ...entry.found.keys()];
  for (const root of roots) {
    for (const p of descendantsOf(root, processes)) {
      if (p.pgid !== entry.pgid && !isDeadState(p.state)) entry.found.set(p.pid, p.startTime);
    }
  }
}
