/**
 * Ends every process of a stage: its process group, the descendants of its
 * shell, and processes that escaped the group (tracked escapees and processes
 * carrying the stage's environment token). SIGTERM first so programs can clean up, SIGKILL
 * to whatever is still alive after the grace period, then wait until `/proc`
 * shows none of them alive, with a deadline so a caller never hangs.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ProcessRef } from './escapeeTracker';
import {
  descendantsOf,
  groupExists,
  groupMembers,
  isDeadState,
  isProcessAlive,
  listProcesses,
} from './processTree';
import type { ProcessInfo } from './processTree';

/** Which processes belong to the stage. */
export interface KillTarget {
  /** The stage's process group (the shell's pid, as it was started detached). */
  readonly pgid: number;
  /** The shell's pid; its descendants are followed while it lives. */
  readonly leaderPid: number;
  /** The shell's start time, so a reused pid is never mistaken for it. */
  readonly leaderStartTime: number | undefined;
  /** Processes known to have escaped the group, sampled while the stage ran. */
  readonly escapees: () => readonly ProcessRef[];
  /**
   * Further processes known to be the stage's (by an environment token or by
   * holding its output pipes), looked up once when the kill starts.
   */
  readonly others?: () => readonly ProcessRef[];
}

/** How to kill. */
export interface KillOptions {
  /** Time between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  /** How long to wait for the processes to vanish after SIGKILL before giving up. */
  readonly killDeadlineMs?: number;
  /** How often to look at `/proc` while waiting. */
  readonly pollMs?: number;
}

/** What a kill achieved. */
export interface KillResult {
  /** Whether SIGKILL was needed because something outlived the grace period. */
  readonly escalated: boolean;
  /** Processes still alive when the deadline passed (normally empty). */
  readonly survivors: readonly number[];
}

const DEFAULT_KILL_DEADLINE_MS = 5000;
const DEFAULT_POLL_MS = 20;

/** Kills the whole stage: see the module comment. Never throws. */
export async function killStageTree(target: KillTarget, options: KillOptions): Promise<KillResult> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const victims = new Map<number, number>();
  for (const ref of target.escapees()) victims.set(ref.pid, ref.startTime);
  for (const ref of target.others?.() ?? []) victims.set(ref.pid, ref.startTime);
  let processes = listProcesses();
  collectVictims(target, processes, victims);
  signalAll(target, processes, victims, 'SIGTERM');
  // A stopped process only acts on SIGTERM once continued.
  signalAll(target, processes, victims, 'SIGCONT');

  let survivors = await waitUntilGone(target, victims, options.graceMs, pollMs);
  if (survivors.length === 0) return { escalated: false, survivors };
  processes = listProcesses();
  collectVictims(target, processes, victims);
  signalAll(target, processes, victims, 'SIGKILL');
  const deadline = options.killDeadlineMs ?? DEFAULT_KILL_DEADLINE_MS;
  survivors = await waitUntilGone(target, victims, deadline, pollMs);
  return { escalated: true, survivors };
}

/**
 * Adds to `victims` the live members of the group, the descendants of the
 * leader, and the descendants of every victim already known (children an
 * escapee forked).
 */
function collectVictims(
  target: KillTarget,
  processes: readonly ProcessInfo[],
  victims: Map<number, number>,
): void {
  const add = (p: ProcessInfo): void => {
    if (!isDeadState(p.state) && p.pid !== process.pid) victims.set(p.pid, p.startTime);
  };
  groupMembers(target.pgid, processes).forEach(add);
  const roots = new Map(victims);
  if (target.leaderStartTime !== undefined) roots.set(target.leaderPid, target.leaderStartTime);
  for (const p of processes) {
    // Follow a root only while it is the very process we know: pids get reused.
    if (roots.get(p.pid) === p.startTime && !isDeadState(p.state)) {
      descendantsOf(p.pid, processes).forEach(add);
    }
  }
}

function signalAll(
  target: KillTarget,
  processes: readonly ProcessInfo[],
  victims: ReadonlyMap<number, number>,
  signal: NodeJS.Signals,
): void {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  // Only signal the group while it has live members: once it is empty the id may be reused.
  if (groupMembers(target.pgid, processes).some((p) => !isDeadState(p.state))) {
    trySignal(-target.pgid, signal);
  }
  for (const [pid, startTime] of victims) {
    const now = byPid.get(pid);
    if (!now || now.startTime !== startTime || isDeadState(now.state)) continue;
    // An escapee that made its own group may have children in it: signal the group too.
    if (now.pgid === pid && pid !== target.pgid) trySignal(-pid, signal);
    trySignal(pid, signal);
  }
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: it is already gone; EPERM: not ours to kill. Either way nothing more to do.
  }
}

/**
 * Polls until no victim and no group member is alive, or `timeoutMs` passed;
 * returns the survivors. Each poll checks the known victims one by one and
 * the group with signal 0; only when the group still exists without a live
 * known victim (a new child, or zombies) does it scan all of `/proc`.
 */
async function waitUntilGone(
  target: KillTarget,
  victims: Map<number, number>,
  timeoutMs: number,
  pollMs: number,
): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let survivors = [...victims]
      .filter(([pid, startTime]) => isProcessAlive(pid, startTime))
      .map(([pid]) => pid);
    if (survivors.length === 0 && groupExists(target.pgid)) {
      const processes = listProcesses();
      collectVictims(target, processes, victims);
      survivors = liveVictims(target, processes, victims);
    }
    if (survivors.length === 0 || Date.now() >= deadline) return survivors;
    await delay(Math.min(pollMs, Math.max(1, deadline - Date.now())));
  }
}

function liveVictims(
  target: KillTarget,
  processes: readonly ProcessInfo[],
  victims: ReadonlyMap<number, number>,
): number[] {
  const alive = new Set<number>();
  for (const p of processes) {
    if (isDeadState(p.state)) continue;
    if (p.pgid === target.pgid || victims.get(p.pid) === p.startTime) alive.add(p.pid);
  }
  return [...alive];
}

/** Ends processes at once (SIGKILL), with their groups when they lead one: a stage whose start nobody could report. */
export function killMarked(processes: readonly ProcessRef[]): void {
  for (const { pid } of processes) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Gone already, or no group of its own.
      }
    }
  }
}
