import type { Pipeline } from '@baton/core';
import type { AcquireResult, Lock } from '../../store/lock';
import type { RunStore } from '../../store/runStore';
import { describeOwner, EngineError } from '../engineErrors';

/** How often a queued run checks whether the pipeline's lock is free. */
const QUEUE_POLL_MS = 500;

/** What happened while taking the lock, for the caller to report. */
export interface LockOutcome {
  readonly lock: Lock;
  /** Plain-words notes: a stale lock reclaimed, a wait behind another run. */
  readonly notes: readonly string[];
}

/**
 * Takes the one-run-at-a-time lock of a pipeline for `runId`, following the
 * pipeline's overlap policy when another live process holds it: `skip`
 * (the default) refuses naming the owner, `queue` waits until the lock is
 * free, `cancel-running` asks the running run to stop and then waits. A lock
 * whose owner is dead is reclaimed, and a note says so.
 */
export async function takePipelineLock(
  store: RunStore,
  pipeline: Pipeline,
  runId: string,
  onNote: (note: string) => void,
): Promise<LockOutcome> {
  const notes: string[] = [];
  const note = (text: string): void => {
    notes.push(text);
    onNote(text);
  };
  const policy = pipeline.schedule?.overlap ?? 'skip';
  let announced = false;
  for (;;) {
    const result: AcquireResult = await store.acquirePipelineLock(pipeline.id, runId);
    if (result.acquired) {
      if (result.reclaimedFrom) {
        const who = result.reclaimedFrom.owner
          ? describeOwner(result.reclaimedFrom.owner)
          : 'an unknown owner';
        note(
          `reclaimed the lock of pipeline ${pipeline.id} from ${who}: ${result.reclaimedFrom.why}`,
        );
      }
      return { lock: result.lock, notes };
    }
    if (policy === 'skip') {
      throw new EngineError(
        'busy',
        `pipeline ${pipeline.id} is already running (${describeOwner(result.owner)}); ` +
          `wait for it, stop it with \`baton stop ${result.owner.runId ?? '<runId>'}\`, ` +
          `or break a lock you know is stale with \`baton unlock ${pipeline.id}\``,
        [],
        result.owner,
      );
    }
    if (!announced) {
      announced = true;
      if (policy === 'cancel-running' && result.owner.runId !== undefined) {
        await store.writeInboxMessage(result.owner.runId, {
          kind: 'stop',
          by: `run ${runId}`,
          reason: 'a newer run of the pipeline replaces it (overlap: cancel-running)',
        });
        note(`asked run ${result.owner.runId} to stop (overlap: cancel-running)`);
      } else {
        note(
          `waiting for run ${result.owner.runId ?? '?'} of ${pipeline.id} to finish (overlap: queue)`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, QUEUE_POLL_MS));
  }
}
