import type { RunState } from '@baton/core';
import type { RunStore } from '../store/runStore';
import type { Clock } from './clock';
import { ACTIVE_STATUSES, applyOffline } from './runRecovery';

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
  if (!ACTIVE_STATUSES.has(state.status)) return state;
  const events = await store.openEventLog(state.runId);
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
