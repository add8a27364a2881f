/**
 * What a run will do with each stage before it moves: the plan of a resume,
 * and the plan of a run that has not started.
 */

/** What resuming a run will do with one stage. */
export interface ResumeStep {
  readonly stage: string;
  /**
   * `skip`: already succeeded; `rerun`: ran before and runs again; `run`: never
   * ran, runs now; `attach`: its attempt still runs on a remote executor and is
   * followed again, not started again.
   */
  readonly action: 'skip' | 'rerun' | 'run' | 'attach';
  readonly reason: string;
}

/** The plan a resume follows, one step per stage in declaration order. */
export interface ResumePlan {
  readonly steps: readonly ResumeStep[];
}

/** What a run would do with one stage, and why (`baton/planRun`). */
export interface RunPlanStep {
  readonly stage: string;
  /** `run`; `skip` (up to date); `unselected` (outside the selection). */
  readonly action: 'run' | 'skip' | 'unselected';
  readonly reason: string;
}

/** The plan of a run that has not started, one step per stage in declaration order. */
export interface RunPlan {
  readonly steps: readonly RunPlanStep[];
  /** Damaged record entries met; each counts as a miss. */
  readonly warnings: readonly string[];
}
