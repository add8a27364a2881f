import type { RunStatus, StageStatus } from './state';

/**
 * The allowed status changes of a run, one table for the whole core. The
 * reducer refuses (throws on) any change not listed here, so a bug shows up
 * as an error instead of a silently corrupted state. docs/state-machines.md
 * documents the same table.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ['running', 'cancelled'],
  running: ['waiting', 'succeeded', 'failed', 'cancelled', 'interrupted'],
  waiting: ['running', 'failed', 'cancelled', 'interrupted'],
  succeeded: [],
  failed: ['running'],
  cancelled: ['running'],
  interrupted: ['running', 'cancelled'],
};

/** The allowed status changes of a stage; see `RUN_TRANSITIONS`. */
export const STAGE_TRANSITIONS: Readonly<Record<StageStatus, readonly StageStatus[]>> = {
  pending: ['ready', 'skipped', 'cancelled', 'succeeded', 'failed'],
  ready: ['running', 'waitingForPool', 'failed', 'cancelled', 'pending', 'skipped'],
  waitingForPool: ['running', 'failed', 'cancelled', 'pending', 'skipped'],
  running: ['waiting', 'succeeded', 'failed', 'retrying', 'cancelled'],
  waiting: ['running', 'succeeded', 'failed', 'retrying', 'cancelled'],
  retrying: ['ready', 'cancelled', 'pending'],
  succeeded: ['pending'],
  failed: ['pending'],
  skipped: ['pending'],
  // `running`: a resume re-attaches to an attempt that outlived its engine (a detached handle).
  cancelled: ['pending', 'running'],
};

/** Whether a run may go from `from` to `to`. */
export function canRunTransition(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/** Whether a stage may go from `from` to `to`. */
export function canStageTransition(from: StageStatus, to: StageStatus): boolean {
  return STAGE_TRANSITIONS[from].includes(to);
}

/** A run in this status will not change again (except by resume). */
export function isFinalRunStatus(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** The run stopped: final, or interrupted (resumable); `runFinished` marks each arrival here. */
export function isStoppedRunStatus(status: RunStatus): boolean {
  return isFinalRunStatus(status) || status === 'interrupted';
}

/** The run is executing: stages may run and prompts may be open (running or waiting). */
export function isExecutingRunStatus(status: RunStatus): boolean {
  return status === 'running' || status === 'waiting';
}

/** A stage in this status is done for this run (until a resume). */
export function isFinalStageStatus(status: StageStatus): boolean {
  return (
    status === 'succeeded' || status === 'failed' || status === 'skipped' || status === 'cancelled'
  );
}

/** A stage in this status has a live process and holds a concurrency slot. */
export function isLiveStageStatus(status: StageStatus): boolean {
  return status === 'running' || status === 'waiting';
}
