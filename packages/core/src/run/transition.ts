import type { Draft } from './draft';
import { closeDraft, openDraft } from './draft';
import type { Effect } from './effects';
import type { RunEvent } from './events';
import { onCancelRequested, onRunInterrupted, onRunResumed, onRunStarted } from './runEvents';
import { isExecutingRunStatus } from './machines';
import { onPromptAnswered, onPromptOpened } from './promptEvents';
import { isCheckpointWorthy, settle } from './settle';
import {
  onStageClaimed,
  onStageExecutorCondition,
  onStageDiagnosed,
  onStageExited,
  onStageProgress,
  onStageStarted,
} from './stageEvents';
import type { Progress, RunState, StageDiagnosis } from './state';
import { onTimerFired } from './timerEvents';
import { onStageChecked } from './stageChecks';
import { onItemsListed } from './fanOut';
import { onSlotsAcquired, onSlotsWaiting } from './poolWaits';

/** The outcome of applying one event. */
export interface TransitionResult {
  /** The next state (`seq` + 1), or the unchanged state when the event was rejected. */
  readonly state: RunState;
  /** What the shell must do, in order; empty when rejected. */
  readonly effects: readonly Effect[];
  /** Why the event does not apply to the current state, in plain words; the event must not be logged. */
  readonly rejected?: string;
}

/** Events that only make sense while the run executes. */
function needsActiveRun(event: RunEvent): boolean {
  switch (event.type) {
    case 'stageStarted':
    case 'stageProgress':
    case 'stageClaimed':
    case 'stageExecutorCondition':
    case 'stageDiagnosed':
    case 'stageExited':
    case 'stageChecked':
    case 'itemsListed':
    case 'slotsWaiting':
    case 'slotsAcquired':
    case 'promptOpened':
    case 'promptAnswered':
    case 'timerFired':
      return true;
    case 'runStarted':
    case 'cancelRequested':
    case 'runInterrupted':
    case 'runResumed':
      return false;
    default: {
      // An unknown event (from a newer shell or a damaged log) is rejected by `apply`.
      const _never: never = event;
      return false;
    }
  }
}

function apply(draft: Draft, event: RunEvent): string | undefined {
  switch (event.type) {
    case 'runStarted':
      return onRunStarted(draft, event);
    case 'stageStarted':
      return onStageStarted(draft, event);
    case 'stageProgress':
      return onStageProgress(draft, event);
    case 'stageClaimed':
      return onStageClaimed(draft, event);
    case 'stageExecutorCondition':
      return onStageExecutorCondition(draft, event);
    case 'stageDiagnosed':
      return onStageDiagnosed(draft, event);
    case 'stageExited':
      return onStageExited(draft, event);
    case 'stageChecked':
      return onStageChecked(draft, event);
    case 'itemsListed':
      return onItemsListed(draft, event);
    case 'slotsWaiting':
      return onSlotsWaiting(draft, event);
    case 'slotsAcquired':
      return onSlotsAcquired(draft, event);
    case 'promptOpened':
      return onPromptOpened(draft, event);
    case 'promptAnswered':
      return onPromptAnswered(draft, event);
    case 'timerFired':
      return onTimerFired(draft, event);
    case 'cancelRequested':
      return onCancelRequested(draft, event);
    case 'runInterrupted':
      return onRunInterrupted(draft, event);
    case 'runResumed':
      return onRunResumed(draft, event);
    default: {
      const never: never = event;
      return `unknown event ${JSON.stringify(never)}`;
    }
  }
}

function isUnitInterval(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

/** Progress numbers must survive a JSON round trip, or replay from disk would differ. */
function isFiniteProgress(progress: Progress): boolean {
  const numbers = [progress.percent, progress.value, progress.total];
  return numbers.every((n) => n === undefined || Number.isFinite(n));
}

/** A diagnosis that survives a JSON round trip, so replay from disk gives the same state. */
function isPlainDiagnosis(diagnosis: StageDiagnosis): boolean {
  // A number or a string has none of the fields and fails below; null cannot be destructured.
  if (diagnosis === null) return false;
  const { idleMs, lastLines, processes } = diagnosis;
  return (
    Number.isFinite(idleMs) &&
    Array.isArray(lastLines) &&
    Array.isArray(processes) &&
    processes.every((p) => [p.pid, p.ppid, p.cpuSeconds, p.rssKb].every(Number.isFinite))
  );
}

function precheck(state: RunState, event: RunEvent): string | undefined {
  if (typeof event !== 'object' || event === null) return 'an event must be an object';
  if (!Number.isFinite(event.at)) return `${event.type} has no valid time (at)`;
  if (event.type === 'stageExited' && !isUnitInterval(event.random)) {
    return `stageExited needs a random number in [0, 1], got ${event.random}`;
  }
  if (event.type === 'stageProgress' && !isFiniteProgress(event.progress)) {
    return `stageProgress numbers must be finite: ${JSON.stringify(event.progress)}`;
  }
  if (event.type === 'stageDiagnosed' && !isPlainDiagnosis(event.diagnosis)) {
    return 'stageDiagnosed needs finite numbers and lists of lines and processes';
  }
  if (needsActiveRun(event) && !isExecutingRunStatus(state.status)) {
    return `${event.type} does not apply: the run is ${state.status}`;
  }
  return undefined;
}

/**
 * Applies one event to a run: the pure heart of Baton. An accepted event
 * advances `seq` by one and returns the effects the shell must carry out; a
 * checkpoint (`persist`) follows every change worth one, and `runFinished`
 * follows each arrival in a final or interrupted status. An event that does
 * not apply returns the same state, no effects and a plain-words `rejected`.
 */
export function transition(state: RunState, event: RunEvent): TransitionResult {
  const early = precheck(state, event);
  if (early !== undefined) return { state, effects: [], rejected: early };
  const draft = openDraft(state, event.at);
  const rejected = apply(draft, event);
  if (rejected !== undefined) return { state, effects: [], rejected };
  settle(draft);
  const next = closeDraft(draft);
  const effects = draft.effects;
  if (isCheckpointWorthy(state, next, draft.touched)) effects.push({ type: 'persist' });
  // Nothing moves a stopped run on within the event that stopped it, so `next.status` is `stoppedAs`.
  if (draft.stoppedAs !== undefined) {
    effects.push(
      next.reason === undefined
        ? { type: 'runFinished', status: next.status }
        : { type: 'runFinished', status: next.status, reason: next.reason },
    );
  }
  return { state: next, effects };
}
