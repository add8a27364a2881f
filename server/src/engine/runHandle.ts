import type { Pipeline, ResumePlan, RunStatus } from '@baton/core';

/** A run this engine started or resumed. */
export interface RunHandle {
  readonly runId: string;
  readonly pipeline: Pipeline;
  /** Things worth telling the user (a reclaimed lock, a wait in the queue). */
  readonly notes: readonly string[];
  /** Resolves with the run's status once it is final or interrupted and the engine let go of it. */
  readonly finished: Promise<RunStatus>;
}

/** A resumed run: the handle plus the plan it follows. */
export interface ResumeHandle extends RunHandle {
  readonly plan: ResumePlan;
}

/** What `stopRun` did. */
export type StopOutcome = 'stopping' | 'requested' | 'markedInterrupted' | 'alreadyFinished';
