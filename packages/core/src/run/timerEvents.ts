import { formatDuration } from '../pipeline/duration';
import { checkLiveAttempt, requestKill } from './attempts';
import type { Draft } from './draft';
import { specOf, stageOf, updateStage } from './draft';
import type { RunEventOf, Timer } from './events';
import { onPromptDeadline } from './promptEvents';

type TimerFired = RunEventOf<'timerFired'>;
type StageTimer = Exclude<Timer, { kind: 'promptDeadline' }>;

/** Why a stage timer no longer applies, or undefined when its attempt is live and not being killed. */
function checkStageTimer(draft: Draft, timer: StageTimer): string | undefined {
  const problem = checkLiveAttempt(draft, timer.stage, timer.attempt);
  if (problem !== undefined) return `${timer.kind} timer is stale: ${problem}`;
  if (stageOf(draft, timer.stage).killRequested !== undefined) {
    return `${timer.kind} timer is stale: stage '${timer.stage}' is already being stopped`;
  }
  return undefined;
}

/** The attempt ran longer than its wall-clock timeout: kill it. */
function onStageTimeout(draft: Draft, timer: StageTimer): string | undefined {
  const problem = checkStageTimer(draft, timer);
  if (problem !== undefined) return problem;
  const limit = specOf(draft, timer.stage).timeoutMs ?? 0;
  requestKill(draft, timer.stage, 'timeout', `timed out after ${formatDuration(limit)}`);
  return undefined;
}

/**
 * Time to check whether the attempt is hung. It is not while a prompt of its
 * own is open (it waits for an answer), nor when it was active within the idle
 * limit: then the check is armed again. Otherwise it is diagnosed and killed.
 */
function onIdleCheck(draft: Draft, timer: StageTimer, event: TimerFired): string | undefined {
  const problem = checkStageTimer(draft, timer);
  if (problem !== undefined) return problem;
  const stage = stageOf(draft, timer.stage);
  const idle = specOf(draft, timer.stage).idleTimeoutMs ?? 0;
  const reported = event.lastActivityAt ?? 0;
  const seen = stage.lastActivityAt ?? stage.startedAt ?? 0;
  const last = Number.isFinite(reported) ? Math.max(reported, seen) : seen;
  if (stage.status === 'waiting' || event.at - last < idle) {
    const next = stage.status === 'waiting' ? event.at + idle : last + idle;
    draft.effects.push({ type: 'startTimer', timer, at: next });
    return undefined;
  }
  draft.effects.push({ type: 'diagnoseStage', stage: timer.stage, attempt: timer.attempt });
  requestKill(draft, timer.stage, 'idle', `no output for ${formatDuration(idle)} (hung)`);
  return undefined;
}

/** The backoff after a failed attempt is over: the stage is ready for its next attempt. */
function onRetryDue(draft: Draft, timer: StageTimer): string | undefined {
  const stage = draft.stages[timer.stage];
  if (stage?.status !== 'retrying' || stage.attempt !== timer.attempt) {
    return `retry timer for stage '${timer.stage}' attempt ${timer.attempt} is stale`;
  }
  updateStage(draft, timer.stage, (s) => {
    s.status = 'ready';
    delete s.retryAt;
  });
  return undefined;
}

/** A timer the core asked for fired; stale timers (their subject moved on) are rejected. */
export function onTimerFired(draft: Draft, event: TimerFired): string | undefined {
  const { timer } = event;
  switch (timer.kind) {
    case 'stageTimeout':
      return onStageTimeout(draft, timer);
    case 'idleCheck':
      return onIdleCheck(draft, timer, event);
    case 'retryDue':
      return onRetryDue(draft, timer);
    case 'promptDeadline':
      return onPromptDeadline(draft, timer.promptId);
    default: {
      const never: never = timer;
      return `unknown timer ${JSON.stringify(never)}`;
    }
  }
}
