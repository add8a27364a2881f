import { isStoppedRunStatus } from '@baton/core';
import type { RunState } from '@baton/core';
import type { RunStore } from '../../store/runStore';
import type { Clock } from '../clock';
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
