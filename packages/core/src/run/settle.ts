import type { Draft } from './draft';
import { setRunStatus, specOf, stagesInOrder, updateStage } from './draft';
import { isExecutingRunStatus, isFinalStageStatus } from './machines';
import { closePromptIn } from './prompts';
import { schedule } from './schedule';
import type { RunState, StageState } from './state';

/** Moves the run to a final status at the event's time. */
export function stopRun(
  draft: Draft,
  status: 'succeeded' | 'failed' | 'cancelled',
  reason?: string,
): void {
  setRunStatus(draft, status);
  draft.run.endedAt = draft.at;
  if (reason === undefined) delete draft.run.reason;
  else draft.run.reason = reason;
}

/**
 * Fails the whole run for a reason of its own (an input nobody answered):
 * open prompts close, stages that have not started are skipped. Only called
 * before any stage runs, since stages start once every input has a value.
 */
export function failRun(draft: Draft, reason: string): void {
  for (const prompt of Object.values(draft.prompts)) closePromptIn(draft, prompt.id, 'runFailed');
  for (const stage of stagesInOrder(draft)) {
    if (isFinalStageStatus(stage.status)) continue;
    updateStage(draft, stage.id, (s) => {
      s.status = stage.status === 'pending' ? 'skipped' : 'cancelled';
      s.reason = `not run: the run failed before it could start (${reason})`;
    });
  }
  stopRun(draft, 'failed', reason);
}

function describeFailures(failed: readonly StageState[]): string {
  const first = failed[0];
  if (failed.length === 1 && first !== undefined) {
    return `stage '${first.id}' failed: ${first.reason ?? 'no reason recorded'}`;
  }
  const list = failed.map((s) => `'${s.id}' (${s.reason ?? 'no reason recorded'})`);
  return `${failed.length} stages failed: ${list.join('; ')}`;
}

/**
 * Ends an executing run once every stage is final and no prompt is open:
 * cancelled when a stop was requested, failed when a stage failed without
 * `continue_on_error`, else succeeded. Otherwise the run is `waiting` while a
 * prompt is open and `running` when none is.
 */
function refreshRunStatus(draft: Draft): void {
  if (!isExecutingRunStatus(draft.run.status)) return;
  const open = Object.keys(draft.prompts).length > 0;
  if (!open && finishedCount(draft) === draft.run.pipeline.stages.length) {
    const stages = stagesInOrder(draft);
    setRunStatus(draft, 'running');
    if (draft.run.cancelRequested === true) {
      stopRun(draft, 'cancelled', draft.run.reason ?? 'cancelled by request');
      return;
    }
    const failed = stages.filter(
      (s) => s.status === 'failed' && !specOf(draft, s.id).continueOnError,
    );
    if (failed.length > 0) stopRun(draft, 'failed', describeFailures(failed));
    else stopRun(draft, 'succeeded');
    return;
  }
  setRunStatus(draft, open ? 'waiting' : 'running');
}

/** How many declared stages are in a final status. */
function finishedCount(draft: Draft): number {
  const { succeeded, failed, skipped, cancelled } = draft.counts;
  return succeeded + failed + skipped + cancelled;
}

/** Brings a draft to rest after an event: schedule what can run, then update the run status. */
export function settle(draft: Draft): void {
  schedule(draft);
  refreshRunStatus(draft);
}

function stageCheckpointChanged(before: StageState | undefined, after: StageState): boolean {
  return (
    before === undefined ||
    before.status !== after.status ||
    before.attempt !== after.attempt ||
    before.killRequested !== after.killRequested ||
    before.pid !== after.pid ||
    before.handle !== after.handle
  );
}

/**
 * Whether the change from `before` to `after` is worth a checkpoint (progress
 * alone is not). `touched` lists the stages whose states may differ; when
 * omitted, every stage of `after` is compared.
 */
export function isCheckpointWorthy(
  before: RunState,
  after: RunState,
  touched?: readonly string[],
): boolean {
  if (before.status !== after.status || before.cancelRequested !== after.cancelRequested) {
    return true;
  }
  if (!sameKeys(before.prompts, after.prompts)) return true;
  if (!sameKeys(before.inputs, after.inputs) || !sameKeys(before.answers, after.answers)) {
    return true;
  }
  if (touched === undefined) {
    return Object.values(after.stages).some((s) => stageCheckpointChanged(before.stages[s.id], s));
  }
  return touched.some((id) => {
    const stage = after.stages[id];
    return stage !== undefined && stageCheckpointChanged(before.stages[id], stage);
  });
}

function sameKeys(a: object, b: object): boolean {
  // A record no event changed is shared by both states.
  if (a === b) return true;
  const left = Object.keys(a);
  const right = Object.keys(b);
  return left.length === right.length && left.every((k) => Object.hasOwn(b, k));
}
