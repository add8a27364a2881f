import type { Draft } from './draft';
import { specOf, updateStage } from './draft';
import { isLiveStageStatus } from './machines';
import { closeStagePrompts } from './prompts';
import type { KillReason } from './state';
import { attemptTimers } from './timers';

/**
 * Why an event about `stage`/`attempt` does not apply, or undefined when the
 * stage exists and that attempt is the live one.
 */
export function checkLiveAttempt(draft: Draft, stage: string, attempt: number): string | undefined {
  const state = draft.stages[stage];
  if (state === undefined) return `there is no stage '${stage}' in this run`;
  if (!isLiveStageStatus(state.status)) {
    return `stage '${stage}' is ${state.status}, not running`;
  }
  if (state.attempt !== attempt) {
    return `stage '${stage}' is running attempt ${state.attempt}, not attempt ${attempt}`;
  }
  return undefined;
}

/** Stops the wall-clock and idle timers of a stage's attempt. */
export function cancelAttemptTimers(draft: Draft, stage: string, attempt: number): void {
  for (const timer of attemptTimers(specOf(draft, stage), attempt)) {
    draft.effects.push({ type: 'cancelTimer', timer });
  }
}

/**
 * Asks the shell to kill a live attempt. The stage stays live (it holds its
 * slot) until its `stageExited` arrives; `reason` is what the stage will be
 * marked with then. Its open prompts close, since nobody may answer them now.
 */
export function requestKill(draft: Draft, stage: string, kill: KillReason, reason: string): void {
  const { attempt } = draft.stages[stage] ?? { attempt: 0 };
  closeStagePrompts(draft, stage, kill);
  cancelAttemptTimers(draft, stage, attempt);
  updateStage(draft, stage, (s) => {
    s.killRequested = kill;
    s.reason = reason;
  });
  draft.effects.push({ type: 'killStage', stage, attempt, reason: kill });
}
