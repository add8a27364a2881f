import { transition } from '@baton/core';
import type { LoggedEvent, RunEvent, RunState } from '@baton/core';
import {
  isProcessAlive,
  processesWithEnvironmentEntry,
  readProcess,
} from '../../process/processTree';
import type { EventLogWriter } from '../../store/eventLog';
import type { RunStore } from '../../store/runStore';
import { readFileSync } from 'node:fs';
import { WORKER_VARIABLE } from '../../executor/bullmq/remoteJob';

/**
 * The latest state of a run on disk: the checkpoint, brought up to date with
 * any events logged after it was written (the owner may have died between an
 * event and the next checkpoint). Unreadable event lines are skipped.
 */
export async function loadRunState(store: RunStore, runId: string): Promise<RunState> {
  let state = await store.readCheckpoint(runId);
  const { events } = await store.readEvents(runId, state.seq);
  for (const event of events) {
    if (event.seq !== state.seq + 1) break;
    const { seq: _seq, ...plain } = event;
    const result = transition(state, plain as RunEvent);
    if (result.rejected !== undefined) break;
    state = result.state;
  }
  return state;
}

/**
 * Applies an event to a run nobody is running (marking it interrupted, say):
 * the event is logged and the new state returned; effects are not carried out.
 * Returns undefined when the core rejects the event.
 */
export function applyOffline(
  state: RunState,
  event: RunEvent,
  events: EventLogWriter,
): RunState | undefined {
  const result = transition(state, event);
  if (result.rejected !== undefined) return undefined;
  events.append({ ...event, seq: result.state.seq } as LoggedEvent);
  return result.state;
}

const REAP_DEADLINE_MS = 5000;
const REAP_POLL_MS = 25;

/**
 * Kills processes a dead owner left running for `runId` (stage processes carry
 * `BATON_RUN_ID` in their environment), so a resumed stage never runs next to
 * its own orphan. Returns how many processes were killed.
 */
export async function reapLeftoverProcesses(runId: string): Promise<number> {
  // A stage a `baton worker` runs on this machine is no leftover: it lives on, and a resume re-attaches to it.
  const leftovers = processesWithEnvironmentEntry(`BATON_RUN_ID=${runId}`, process.pid).filter(
    (p) => !runsOnWorker(p.pid),
  );
  const ownGroup = readProcess(process.pid)?.pgid;
  for (const leftover of leftovers) {
    // Stages run in groups of their own; never signal the group this process belongs to.
    const targets = leftover.pgid === ownGroup ? [leftover.pid] : [-leftover.pgid, leftover.pid];
    for (const target of targets) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone, or a group that no longer exists: nothing to do.
      }
    }
  }
  const deadline = Date.now() + REAP_DEADLINE_MS;
  while (leftovers.some((p) => isProcessAlive(p.pid, p.startTime)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, REAP_POLL_MS));
  }
  return leftovers.length;
}

/** Whether a process belongs to a stage that a `baton worker` runs (its environment has `BATON_WORKER`). */
function runsOnWorker(pid: number): boolean {
  try {
    return Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]).includes(
      Buffer.from(`\0${WORKER_VARIABLE}=`),
    );
  } catch {
    return false;
  }
}
