import { isStoppedRunStatus } from '@baton/core';
import type { RunState } from '@baton/core';
import type { ExecutorSet } from '../../executor/stageExecutor';
import type { RunStore } from '../../store/runStore';
import type { Clock } from '../clock';
import type { RunFiles } from '../runFiles';
import { applyOffline, loadRunState, reapLeftoverProcesses } from './runRecovery';

/**
 * Records that a run's owner is gone: if the run was still in progress, a
 * `runInterrupted` event is logged and the checkpoint rewritten, so the run
 * shows as interrupted and resumable. Returns the (possibly unchanged) state.
 * The caller must own the run (hold its owner lock).
 */
export async function markInterrupted(
  store: RunStore,
  state: RunState,
  clock: Clock,
  reason: string,
): Promise<RunState> {
  if (isStoppedRunStatus(state.status)) return state;
  const events = await store.openEventLog(state.runId, { lastSeq: state.seq });
  try {
    const next = applyOffline(state, { type: 'runInterrupted', at: clock.now(), reason }, events);
    if (!next) return state;
    await events.flush({ sync: true });
    await store.writeCheckpoint(next.runId, next);
    return next;
  } finally {
    await events.close();
  }
}

/**
 * Marks a run interrupted if nobody owns it any more: takes its owner lock
 * (which fails while a live process holds it), kills what the dead owner left
 * running, records `runInterrupted`, and lets go. Returns whether it marked it.
 * A checkpoint behind the events is brought up to date either way, so
 * listings, which read only `run.json`, show what the events say.
 */
export async function recoverOrphanedRun(
  store: RunStore,
  runId: string,
  clock: Clock,
): Promise<boolean> {
  const owner = await store.acquireRunOwner(runId);
  if (!owner.acquired) return false;
  try {
    await reapLeftoverProcesses(runId);
    const checkpointSeq = (await store.readCheckpoint(runId)).seq;
    const before = await loadRunState(store, runId);
    const after = await markInterrupted(store, before, clock, 'its owner is gone');
    // The owner may have died after logging its last events (even the run's
    // end) but before the checkpoint that holds them.
    if (after === before && before.seq > checkpointSeq) await store.writeCheckpoint(runId, before);
    // As the run's owner now, settle its history entry: a crash between the
    // checkpoint and the entry may have left an active entry for a stopped run.
    await store.settleHistoryEntry(after);
    return after.status !== before.status;
  } finally {
    await owner.lock.release().catch(() => false);
  }
}

/** How many of the newest runs a start looks through for runs whose owner died. */
const RECOVERY_SCAN = 200;

/** What finding interrupted runs needs of an engine. */
export interface RecoveryScope {
  readonly store: RunStore;
  readonly files: RunFiles;
  readonly clock: Clock;
  readonly executors: ExecutorSet;
  /** Whether the engine itself runs `runId` (then its owner is alive). */
  owns(runId: string): boolean;
  problem(message: string): void;
}

/**
 * Marks the newest runs whose owner died (crash, `kill -9`, reboot) as
 * interrupted, and lets the executors take up what earlier orchestrators left
 * them (kept stops of remote stages). Returns the ids of the runs it marked.
 */
export async function recoverInterruptedRuns(scope: RecoveryScope): Promise<string[]> {
  const { store, files, clock } = scope;
  const marked: string[] = [];
  const leftovers = scope.executors.pickUpLeftovers(store.paths.runsDir);
  // The history entries tell stopped runs without reading their run.json;
  // an active-looking one is read whole (and checked) by the page itself.
  const page = await files.readHistoryPage({ limit: RECOVERY_SCAN });
  for (const message of page.warnings) scope.problem(`run history: ${message}`);
  for (const item of page.items) {
    if (!('entry' in item) || isStoppedRunStatus(item.entry.status) || scope.owns(item.runId))
      continue;
    if (await recoverOrphanedRun(store, item.runId, clock)) marked.push(item.runId);
  }
  // Entries rebuilt from run.json (runs from before entries existed) are
  // written before a CLI command goes on and may exit.
  for (const message of await page.rebuilding) scope.problem(`run history: ${message}`);
  await leftovers.catch((error: unknown) =>
    scope.problem(`kept stops of remote stages: ${String(error)}`),
  );
  return marked;
}
