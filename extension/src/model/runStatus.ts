import type { RunStatus, StageStatus } from '@baton/protocol';

const FINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'cancelled']);
const ACTIVE_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['queued', 'running', 'waiting']);
const RESUMABLE_RUN_STATUSES: ReadonlySet<RunStatus> = new Set([
  'failed',
  'interrupted',
  'cancelled',
]);
const DONE_STAGE_STATUSES: ReadonlySet<StageStatus> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);

/** Whether a run is still going (queued, running or waiting for an answer). */
export function isActiveRun(status: RunStatus): boolean {
  return ACTIVE_RUN_STATUSES.has(status);
}

/** Whether a run ended for good (it may still be resumed or retried when it did not succeed). */
export function isFinalRun(status: RunStatus): boolean {
  return FINAL_RUN_STATUSES.has(status);
}

/** Whether resuming the run makes sense: it failed, was stopped, or was interrupted. */
export function isResumableRun(status: RunStatus): boolean {
  return RESUMABLE_RUN_STATUSES.has(status);
}

/** Whether a stage has finished one way or another. */
export function isDoneStage(status: StageStatus): boolean {
  return DONE_STAGE_STATUSES.has(status);
}

/** Whether a stage is doing work now (running, waiting for an answer, or about to retry). */
export function isBusyStage(status: StageStatus): boolean {
  return status === 'running' || status === 'waiting' || status === 'retrying';
}

/** Whether a stage of an ended run can be run again with `baton/retryStage`. */
export function isRetryableStage(status: StageStatus, runStatus: RunStatus): boolean {
  return !isActiveRun(runStatus) && (status === 'failed' || status === 'cancelled');
}
