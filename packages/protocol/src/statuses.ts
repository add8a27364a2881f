/**
 * What the statuses on the wire mean, for clients: one definition of each
 * word ("final", "stopped", "executing", …), the same as the core's (a server
 * test checks every status against `@baton/core`), so a client never keeps a
 * status list of its own.
 */
import type { RunStatus } from './runSummary';
import type { StageStatus, WireItemCounts } from './stageSnapshot';

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

/**
 * The one word for each run status, the same in the editor's tree, tooltips,
 * pickers, the CLI and the docs. `cancelled`: someone stopped the run (Stop
 * Run, `baton stop`); `interrupted`: the process running it went away (window
 * closed, crash, Ctrl-C) and it can be resumed. "Stopped" is not a status: it
 * is the action, and `isStoppedRunStatus` the group of runs no longer under way.
 */
export const RUN_STATUS_WORDS: Readonly<Record<RunStatus, string>> = {
  queued: 'queued',
  running: 'running',
  waiting: 'waiting',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** The one word for each stage status; a stage cancelled before it ever started is `not started`. */
export const STAGE_STATUS_WORDS: Readonly<Record<StageStatus, string>> = {
  pending: 'pending',
  ready: 'ready',
  waitingForPool: 'waiting for pool',
  running: 'running',
  waiting: 'waiting',
  retrying: 'retrying',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

/**
 * The word for a stage the run skipped because its recorded success still
 * holds (status `succeeded`, `upToDate` naming the run it reused): it did not
 * run, so "succeeded" would say too much and "skipped" too little.
 */
export const UP_TO_DATE_WORD = 'up to date';

/** The stage was skipped as up to date: succeeded by reusing an earlier run's success. */
export function isUpToDateStage(stage: {
  readonly status: StageStatus;
  readonly upToDate?: string;
}): boolean {
  return stage.status === 'succeeded' && stage.upToDate !== undefined;
}

/** A run status in its one word. */
export function runStatusWord(status: RunStatus): string {
  return RUN_STATUS_WORDS[status] ?? status;
}

/**
 * A stage's status in its one word: `up to date` for a stage skipped as up to
 * date (`isUpToDateStage`), `not started` for a stage that never ran
 * in a run that has stopped (cancelled before it started, or still pending
 * when the run ended), else the status word.
 */
export function stageStatusWord(
  stage: { readonly status: StageStatus; readonly attempt: number; readonly upToDate?: string },
  runStatus?: RunStatus,
): string {
  if (isUpToDateStage(stage)) return UP_TO_DATE_WORD;
  const runEnded = runStatus !== undefined && isStoppedRunStatus(runStatus);
  const neverRan =
    stage.status === 'cancelled' ||
    (runEnded && (stage.status === 'pending' || stage.status === 'ready'));
  if (stage.attempt === 0 && neverRan) return 'not started';
  return STAGE_STATUS_WORDS[stage.status] ?? stage.status;
}

/**
 * A fanned-out stage's items in one short line, the same in the editor and
 * the CLI: `812/2000 · 3 failed · 12 running`, items that succeeded over all,
 * then each status worth a look in its one word (an item waiting on a prompt
 * counts as running).
 */
export function itemCountsText(items: WireItemCounts): string {
  const count = (status: StageStatus): number => items.counts[status] ?? 0;
  const parts = [`${count('succeeded')}/${items.total}`];
  for (const status of ['failed', 'skipped', 'cancelled'] as const)
    if (count(status) > 0) parts.push(`${count(status)} ${STAGE_STATUS_WORDS[status]}`);
  const live = count('running') + count('waiting');
  if (live > 0) parts.push(`${live} ${STAGE_STATUS_WORDS.running}`);
  if (count('waitingForPool') > 0)
    parts.push(`${count('waitingForPool')} ${STAGE_STATUS_WORDS.waitingForPool}`);
  if (count('retrying') > 0) parts.push(`${count('retrying')} ${STAGE_STATUS_WORDS.retrying}`);
  return parts.join(' · ');
}
