import type { RunStatus, StageStatus } from '@baton/protocol';
import { isFinalRunStatus, isFinalStageStatus, isStoppedRunStatus } from '@baton/protocol';

/** Whether a run is still under way (queued, running or waiting for an answer): not stopped. */
export function isActiveRun(status: RunStatus): boolean {
  return !isStoppedRunStatus(status);
}

/** Whether a run ended for good (it may still be resumed or retried when it did not succeed). */
export function isFinalRun(status: RunStatus): boolean {
  return isFinalRunStatus(status);
}

/** Whether resuming the run makes sense: it stopped without succeeding (failed, cancelled, interrupted). */
export function isResumableRun(status: RunStatus): boolean {
  return isStoppedRunStatus(status) && status !== 'succeeded';
}

/** Whether a stage has finished one way or another. */
export function isDoneStage(status: StageStatus): boolean {
  return isFinalStageStatus(status);
}

/** Whether a stage is doing work now (running, waiting for an answer, or about to retry). */
export function isBusyStage(status: StageStatus): boolean {
  return status === 'running' || status === 'waiting' || status === 'retrying';
}

/** Whether a stage of an ended run can be run again with `baton/retryStage`. */
export function isRetryableStage(status: StageStatus, runStatus: RunStatus): boolean {
  return !isActiveRun(runStatus) && (status === 'failed' || status === 'cancelled');
}
