import { buildCommand, expressionContext } from './command';
import type { Draft } from './draft';
import { clearAttemptFields, specOf, stageOf, stagesInOrder, updateStage } from './draft';
import { isLiveStageStatus } from './machines';
import type { StageState } from './state';
import { attemptTimers } from './timers';

/** Every declared pipeline input has a value. */
export function inputsComplete(draft: Draft): boolean {
  return draft.run.pipeline.inputs.every((input) => Object.hasOwn(draft.inputs, input.id));
}

/** Number of stages holding a concurrency slot (a live process). */
export function liveCount(draft: Draft): number {
  return stagesInOrder(draft).filter((s) => isLiveStageStatus(s.status)).length;
}

/**
 * Why a pending stage cannot run because of a dependency, or `'ready'` when
 * every dependency is done, or undefined when it must keep waiting. A
 * dependency that failed with `continue_on_error` counts as done.
 */
function dependencyVerdict(draft: Draft, stage: StageState): string | 'ready' | undefined {
  let allDone = true;
  for (const need of specOf(draft, stage.id).needs) {
    const dep = stageOf(draft, need);
    if (dep.status === 'failed' && !specOf(draft, need).continueOnError) {
      return `not run: it needs '${need}', which failed`;
    }
    if (dep.status === 'skipped') return `not run: it needs '${need}', which was skipped`;
    if (dep.status === 'cancelled') return `not run: it needs '${need}', which was cancelled`;
    if (dep.status !== 'succeeded' && dep.status !== 'failed') allDone = false;
  }
  return allDone ? 'ready' : undefined;
}

/**
 * Moves pending stages to ready or skipped until nothing changes, so a
 * failure skips its dependants' dependants too. Returns whether anything moved.
 */
function promotePending(draft: Draft): boolean {
  let moved = false;
  for (let changed = true; changed;) {
    changed = false;
    for (const stage of stagesInOrder(draft)) {
      if (stage.status !== 'pending') continue;
      const verdict = dependencyVerdict(draft, stage);
      if (verdict === undefined) continue;
      updateStage(draft, stage.id, (s) => {
        if (verdict === 'ready') {
          s.status = 'ready';
        } else {
          s.status = 'skipped';
          s.reason = verdict;
        }
      });
      changed = true;
      moved = true;
    }
  }
  return moved;
}

/**
 * Starts the next attempt of a ready stage: the stage holds a slot from now
 * on, even before the shell reports `stageStarted`. A command that cannot be
 * built (a missing output it reads) fails the stage without a retry, since
 * another attempt would read the same values.
 */
function startAttempt(draft: Draft, id: string): void {
  const spec = specOf(draft, id);
  const ctx = expressionContext(draft.inputs, draft.stages);
  const built = buildCommand(draft.run.pipeline, spec, ctx);
  if (!built.ok) {
    updateStage(draft, id, (s) => {
      s.status = 'failed';
      s.reason = `could not build the command: ${built.errors.join('; ')}`;
      s.endedAt = draft.at;
    });
    return;
  }
  const attempt = stageOf(draft, id).attempt + 1;
  updateStage(draft, id, (s) => {
    clearAttemptFields(s);
    s.status = 'running';
    s.attempt = attempt;
    s.startedAt = draft.at;
    s.lastActivityAt = draft.at;
    s.outputs = {};
  });
  const { command, env } = built;
  draft.effects.push(
    built.cwd === undefined
      ? { type: 'spawnStage', stage: id, attempt, command, env }
      : { type: 'spawnStage', stage: id, attempt, command, cwd: built.cwd, env },
  );
  for (const timer of attemptTimers(spec, attempt)) {
    const delay = timer.kind === 'stageTimeout' ? spec.timeoutMs : spec.idleTimeoutMs;
    draft.effects.push({ type: 'startTimer', timer, at: draft.at + (delay ?? 0) });
  }
}

/** Starts ready stages in declaration order while slots are free. Returns whether any failed to start. */
function startReady(draft: Draft): boolean {
  let failedToStart = false;
  let live = liveCount(draft);
  for (const stage of stagesInOrder(draft)) {
    if (live >= draft.run.concurrency) break;
    if (stage.status !== 'ready') continue;
    startAttempt(draft, stage.id);
    if (stageOf(draft, stage.id).status === 'failed') failedToStart = true;
    else live += 1;
  }
  return failedToStart;
}

/**
 * Schedules what can run now: promotes pending stages, skips dependants of
 * failures and starts ready stages under the cap. Only while the run is
 * executing, not being cancelled, and every input has a value.
 */
export function schedule(draft: Draft): void {
  const { status, cancelRequested } = draft.run;
  if ((status !== 'running' && status !== 'waiting') || cancelRequested === true) return;
  if (!inputsComplete(draft)) return;
  for (let again = true; again;) {
    promotePending(draft);
    again = startReady(draft);
  }
}
