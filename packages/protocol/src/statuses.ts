/**
 * What the statuses on the wire mean, for clients: one definition of each
 * word ("final", "stopped", "executing", …), the same as the core's (a server
 * test checks every status against `@baton/core`), so a client never keeps a
 * status list of its own.
 */
import type { RunStatus, StageStatus } from './wireModel';

/** The run ended and will not change again, except by a resume: succeeded, failed or cancelled. */
export function isFinalRunStatus(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** The run stopped: final, or interrupted (resumable). Every other run is still under way. */
export function isStoppedRunStatus(status: RunStatus): boolean {
  return isFinalRunStatus(status) || status === 'interrupted';
}

/** The run is executing: its stages may run and its prompts may be open (running or waiting). */
export function isExecutingRunStatus(status: RunStatus): boolean {
  return status === 'running' || status === 'waiting';
}

/** The stage is done for this run (until a resume or a retry). */
export function isFinalStageStatus(status: StageStatus): boolean {
  return (
    status === 'succeeded' || status === 'failed' || status === 'skipped' || status === 'cancelled'
  );
}

/** The stage has a live process (running, or waiting for an answer). */
export function isLiveStageStatus(status: StageStatus): boolean {
  return status === 'running' || status === 'waiting';
}
