import { cancelAttemptTimers, requestKill } from './attempts';
import type { Draft } from './draft';
import {
  clearAttemptFields,
  setRunStatus,
  specOf,
  stageOf,
  stagesInOrder,
  updateStage,
} from './draft';
import type { RunEventOf } from './events';
import { isFinalRunStatus, isLiveStageStatus } from './machines';
import { closePromptIn, missingInputsReason, openInputPrompts } from './prompts';
import { planResume } from './resume';
import { attemptLaunch } from './schedule';
import { conditionOf } from './stageCondition';
import { failRun, stopRun } from './settle';
import { attemptTimers } from './timers';

/** The run starts: inputs without a value are asked (or defaulted, or the run fails). */
export function onRunStarted(draft: Draft, event: RunEventOf<'runStarted'>): string | undefined {
  if (draft.run.status !== 'queued')
    return `the run has already started (it is ${draft.run.status})`;
  setRunStatus(draft, 'running');
  draft.run.startedAt = event.at;
  const unfillable = openInputPrompts(draft);
  if (unfillable.length > 0) failRun(draft, missingInputsReason(unfillable));
  return undefined;
}

/** Cancels every stage that is not live and not final, saying what it was doing. */
function cancelIdleStages(draft: Draft): void {
  for (const stage of stagesInOrder(draft)) {
    if (stage.status === 'retrying') {
      draft.effects.push({
        type: 'cancelTimer',
        timer: { kind: 'retryDue', stage: stage.id, attempt: stage.attempt },
      });
    }
    const idle = ['pending', 'ready', 'waitingForPool', 'retrying'].includes(stage.status);
    if (!idle) continue;
    // A cleanup stage (`if: always()`, `if: cancelled()`) that has not started still runs:
    // once its needs stop, or once a slot of the run's concurrency frees. One waiting for a
    // pool slot is cancelled like any other: a stopping run gives its pool tickets up.
    const waitsToStart = stage.status === 'pending' || stage.status === 'ready';
    if (waitsToStart && conditionOf(specOf(draft, stage.id))?.runsOnCancel === true) continue;
    updateStage(draft, stage.id, (s) => {
      s.reason =
        stage.status === 'retrying'
          ? `cancelled while waiting to retry after attempt ${stage.attempt}`
          : stage.status === 'waitingForPool'
            ? 'cancelled while waiting for its pool slots'
            : 'cancelled before it started';
      s.status = 'cancelled';
      delete s.retryAt;
    });
  }
}

/**
 * Someone asked to stop the run. Live stages are killed and the run ends as
 * cancelled when the last of them exits; everything else is cancelled now.
 */
export function onCancelRequested(
  draft: Draft,
  event: RunEventOf<'cancelRequested'>,
): string | undefined {
  const { status } = draft.run;
  if (isFinalRunStatus(status)) return `the run already finished (${status})`;
  if (draft.run.cancelRequested === true) return 'the run is already being cancelled';
  const reason = event.reason ?? 'cancelled by request';
  for (const prompt of Object.values(draft.prompts)) closePromptIn(draft, prompt.id, 'cancel');
  cancelIdleStages(draft);
  if (status === 'queued' || status === 'interrupted') {
    stopRun(draft, 'cancelled', reason);
    return undefined;
  }
  draft.run.cancelRequested = true;
  draft.run.reason = reason;
  for (const stage of stagesInOrder(draft)) {
    if (isLiveStageStatus(stage.status)) {
      requestKill(draft, stage.id, 'cancel', `being cancelled (attempt ${stage.attempt})`);
    }
  }
  return undefined;
}

/** The run's owner is gone: live stages count as cancelled, prompts close, the run can be resumed. */
export function onRunInterrupted(
  draft: Draft,
  event: RunEventOf<'runInterrupted'>,
): string | undefined {
  const { status } = draft.run;
  if (status !== 'running' && status !== 'waiting') {
    return `only a running run can be interrupted (this one is ${status})`;
  }
  for (const prompt of Object.values(draft.prompts)) closePromptIn(draft, prompt.id, 'interrupted');
  for (const stage of stagesInOrder(draft)) {
    if (stage.status === 'retrying') {
      draft.effects.push({
        type: 'cancelTimer',
        timer: { kind: 'retryDue', stage: stage.id, attempt: stage.attempt },
      });
    }
    if (!isLiveStageStatus(stage.status)) continue;
    if (stage.killRequested === undefined) cancelAttemptTimers(draft, stage.id, stage.attempt);
    updateStage(draft, stage.id, (s) => {
      s.status = 'cancelled';
      s.endedAt = event.at;
      s.reason = `interrupted while running attempt ${stage.attempt}: ${event.reason}`;
    });
  }
  setRunStatus(draft, 'interrupted');
  draft.run.endedAt = event.at;
  draft.run.reason = event.reason;
  return undefined;
}

/**
 * The stage's interrupted attempt is followed again: live once more, with a
 * fresh retry budget counted from this attempt and its timers started anew
 * (the time it ran unobserved is not counted against it).
 */
function reattach(draft: Draft, id: string, at: number): void {
  const spec = specOf(draft, id);
  const budget = Math.max(1, spec.retry.attempts);
  updateStage(draft, id, (s) => {
    s.status = 'running';
    delete s.endedAt;
    delete s.reason;
    // What held it up was seen by the engine that died; this one reports afresh.
    delete s.executorCondition;
    s.lastActivityAt = at;
    s.maxAttempts = s.attempt + budget - 1;
  });
  const stage = stageOf(draft, id);
  if (stage.handle === undefined) return;
  // Built as the attempt's spawnStage was: from the same inputs and recorded outputs.
  const built = attemptLaunch(draft, id);
  draft.effects.push({
    type: 'attachStage',
    stage: id,
    attempt: stage.attempt,
    handle: stage.handle,
    ...(built.ok ? { launch: built.launch } : {}),
  });
  for (const timer of attemptTimers(spec, stage.attempt)) {
    const delay = timer.kind === 'stageTimeout' ? spec.timeoutMs : spec.idleTimeoutMs;
    draft.effects.push({ type: 'startTimer', timer, at: at + (delay ?? 0) });
  }
}

/**
 * The run resumes along `planResume`: stages not skipped go back to pending
 * with a fresh retry budget (attempt numbers keep counting), answers are
 * kept, and inputs still without a value are asked again.
 */
export function onRunResumed(draft: Draft, event: RunEventOf<'runResumed'>): string | undefined {
  const plan = planResume(draft.base, event.rerun === undefined ? {} : { rerun: event.rerun });
  if (!plan.resumable) return `cannot resume: ${plan.reason ?? 'not resumable'}`;
  for (const step of plan.stages) {
    if (step.action === 'skip') continue;
    if (step.action === 'attach') {
      reattach(draft, step.stage, event.at);
      continue;
    }
    const budget = Math.max(1, specOf(draft, step.stage).retry.attempts);
    updateStage(draft, step.stage, (s) => {
      clearAttemptFields(s);
      delete s.startedAt;
      s.status = 'pending';
      s.outputs = {};
      s.maxAttempts = s.attempt + budget;
      // Checked again when it becomes ready: files may have changed since.
      delete s.checking;
      delete s.fingerprint;
      delete s.plan;
      delete s.upToDate;
      delete s.digest;
    });
  }
  setRunStatus(draft, 'running');
  draft.run.interactive = event.interactive;
  // The time the run ran so far is kept; the wait before this resume is not run time.
  const { startedAt, resumedAt, endedAt } = draft.base;
  const goStart = resumedAt ?? startedAt;
  const lastGoMs = goStart !== undefined && endedAt !== undefined ? endedAt - goStart : 0;
  draft.run.earlierRanMs = (draft.base.earlierRanMs ?? 0) + Math.max(0, lastGoMs);
  draft.run.resumes = (draft.base.resumes ?? 0) + 1;
  draft.run.resumedAt = event.at;
  delete draft.run.endedAt;
  delete draft.run.reason;
  delete draft.run.cancelRequested;
  const unfillable = openInputPrompts(draft);
  if (unfillable.length > 0) return `cannot resume: ${missingInputsReason(unfillable)}`;
  return undefined;
}
