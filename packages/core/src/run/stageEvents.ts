import type { Draft } from './draft';
import { specOf, stageOf, updateStage } from './draft';
import type { RunEventOf } from './events';
import type { ExecutorCondition } from './state';
import { cancelAttemptTimers, checkLiveAttempt } from './attempts';
import { closeStagePrompts } from './prompts';
import { backoffDelay, isRetryable } from './retry';
import { formatDuration } from '../pipeline/duration';

/** The shell spawned the attempt: record its pid and its executor's handle. */
export function onStageStarted(
  draft: Draft,
  event: RunEventOf<'stageStarted'>,
): string | undefined {
  const problem = checkLiveAttempt(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  const before = stageOf(draft, event.stage);
  if (before.pid !== undefined || before.handle !== undefined) {
    return `stage '${event.stage}' attempt ${event.attempt} was already reported started`;
  }
  updateStage(draft, event.stage, (s) => {
    if (event.pid !== undefined) s.pid = event.pid;
    if (event.handle !== undefined) s.handle = event.handle;
    s.startedAt = event.at;
    s.lastActivityAt = event.at;
  });
  // A kill asked for while the process was still being spawned (a stop right
  // after a resume) is asked again now that there is a process to kill; a
  // shell that already applies it treats the second request as the same kill.
  const { killRequested } = before;
  if (killRequested !== undefined) {
    draft.effects.push({
      type: 'killStage',
      stage: event.stage,
      attempt: event.attempt,
      reason: killRequested,
    });
  }
  return undefined;
}

/** A worker took the attempt: its handle now says where the attempt runs. */
export function onStageClaimed(
  draft: Draft,
  event: RunEventOf<'stageClaimed'>,
): string | undefined {
  const problem = checkLiveAttempt(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  const { handle } = stageOf(draft, event.stage);
  if (handle === undefined) {
    return `stage '${event.stage}' attempt ${event.attempt} has no executor handle to claim`;
  }
  updateStage(draft, event.stage, (s) => {
    s.handle = { ...handle, where: event.where };
    // A worker took it, so there is one.
    if (s.executorCondition?.kind === 'noWorker') delete s.executorCondition;
  });
  return undefined;
}

/** The attempt's executor says what holds it up, or that nothing does any more. */
export function onStageExecutorCondition(
  draft: Draft,
  event: RunEventOf<'stageExecutorCondition'>,
): string | undefined {
  const problem = checkLiveAttempt(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  if (event.condition !== undefined && !isExecutorCondition(event.condition)) {
    return `stageExecutorCondition has no known condition: ${JSON.stringify(event.condition)}`;
  }
  updateStage(draft, event.stage, (s) => {
    if (event.condition === undefined) delete s.executorCondition;
    else s.executorCondition = event.condition;
  });
  return undefined;
}

/** A condition a shell could have sent (a damaged or newer log may hold anything). */
function isExecutorCondition(condition: ExecutorCondition): boolean {
  switch (condition.kind) {
    case 'noWorker':
      return typeof condition.queue === 'string';
    case 'unreachable':
      return typeof condition.executor === 'string' && Number.isFinite(condition.since);
    default:
      return false;
  }
}

/**
 * The shell diagnosed a quiet attempt: kept on the stage so views and the
 * event log show what it was doing. Not activity (the stage is still quiet),
 * and no status changes.
 */
export function onStageDiagnosed(
  draft: Draft,
  event: RunEventOf<'stageDiagnosed'>,
): string | undefined {
  const problem = checkLiveAttempt(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  updateStage(draft, event.stage, (s) => {
    s.lastDiagnosis = event.diagnosis;
  });
  return undefined;
}

/** The attempt reported progress; it also counts as activity for the idle check. */
export function onStageProgress(
  draft: Draft,
  event: RunEventOf<'stageProgress'>,
): string | undefined {
  const problem = checkLiveAttempt(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  updateStage(draft, event.stage, (s) => {
    s.progress = event.progress;
    s.lastActivityAt = event.at;
  });
  return undefined;
}

/** How an attempt failed, in plain words, or undefined when it succeeded. */
function failureOf(draft: Draft, event: RunEventOf<'stageExited'>): string | undefined {
  const stage = stageOf(draft, event.stage);
  if (stage.killRequested !== undefined) return stage.reason ?? `killed (${stage.killRequested})`;
  if (event.error !== undefined) return `could not start: ${event.error}`;
  if (event.signal !== undefined) return `killed by signal ${event.signal}`;
  if (event.exitCode === undefined) return 'ended without an exit code';
  if (event.exitCode !== 0) return `exited with code ${event.exitCode}`;
  const missing = event.missingOutputs ?? [];
  if (missing.length === 1) return `declared output ${missing[0]} matched no file`;
  if (missing.length > 1) return `declared outputs ${missing.join(', ')} matched no file`;
  return undefined;
}

/** Whether the failed attempt gets another one, and after what delay. */
function retryDelay(draft: Draft, event: RunEventOf<'stageExited'>): number | undefined {
  const stage = stageOf(draft, event.stage);
  const policy = specOf(draft, event.stage).retry;
  if (stage.attempt >= stage.maxAttempts) return undefined;
  const failure =
    stage.killRequested !== undefined
      ? { killed: stage.killRequested }
      : event.exitCode !== undefined && event.error === undefined
        ? { exitCode: event.exitCode }
        : {};
  if (!isRetryable(policy, failure)) return undefined;
  return backoffDelay(policy, stage.attempt, event.random);
}

/**
 * The attempt ended. Exit 0 with every declared output present succeeds; an
 * attempt killed on cancel is cancelled; anything else fails, and is retried
 * (status `retrying` plus a `retryDue` timer) when the policy allows and
 * attempts remain.
 */
export function onStageExited(draft: Draft, event: RunEventOf<'stageExited'>): string | undefined {
  const problem = checkLiveAttempt(draft, event.stage, event.attempt);
  if (problem !== undefined) return problem;
  const before = stageOf(draft, event.stage);
  closeStagePrompts(draft, event.stage, 'exited');
  if (before.killRequested === undefined) cancelAttemptTimers(draft, event.stage, event.attempt);
  const cancelled = before.killRequested === 'cancel';
  const failure = cancelled ? undefined : failureOf(draft, event);
  const delay = failure === undefined ? undefined : retryDelay(draft, event);
  updateStage(draft, event.stage, (s) => {
    s.endedAt = event.at;
    delete s.executorCondition;
    s.outputs = event.outputs ?? {};
    if (event.exported !== undefined) s.exported = event.exported;
    if (event.exitCode !== undefined) s.exitCode = event.exitCode;
    if (event.signal !== undefined) s.signal = event.signal;
    if (cancelled) {
      s.status = 'cancelled';
      s.reason = `cancelled while running attempt ${event.attempt}`;
    } else if (failure === undefined) {
      s.status = 'succeeded';
      delete s.reason;
      if (event.digest !== undefined) s.digest = event.digest;
    } else if (delay === undefined) {
      s.status = 'failed';
      s.reason = before.attempt > 1 ? `${failure} (attempt ${before.attempt})` : failure;
    } else {
      s.status = 'retrying';
      s.retryAt = event.at + delay;
      s.reason = `${failure}; attempt ${before.attempt + 1} of ${before.maxAttempts} in ${formatDuration(delay)}`;
    }
  });
  const { fingerprint } = before;
  if (!cancelled && failure === undefined && fingerprint !== undefined) {
    draft.effects.push({
      type: 'recordStage',
      stage: event.stage,
      attempt: event.attempt,
      fingerprint,
    });
  }
  if (delay !== undefined) {
    draft.effects.push({
      type: 'startTimer',
      timer: { kind: 'retryDue', stage: event.stage, attempt: before.attempt },
      at: event.at + delay,
    });
  }
  return undefined;
}
