/**
 * What `baton/compareRuns` answers: two runs of one pipeline side by side.
 * `base` is the earlier run (left), `run` the one compared (right); a
 * difference is `run` minus `base`.
 */
import type { AnswerValue } from './promptInfo';
import type { RunSummary } from './runSummary';
import type { StageStatus } from './stageSnapshot';

/** Two runs of a pipeline, side by side. */
export interface RunComparison {
  readonly run: RunSummary;
  /** Absent when the run has no earlier run to compare with. */
  readonly base?: RunSummary;
  /** Every input either run has, in the pipeline's order; secret values are `"••••••"`. */
  readonly inputs: readonly InputComparison[];
  /** Every stage either run has, in the pipeline's order. */
  readonly stages: readonly StageComparison[];
}

/** One input in both runs. */
export interface InputComparison {
  readonly input: string;
  /** Absent when that run has no value for it. */
  readonly run?: AnswerValue;
  readonly base?: AnswerValue;
  readonly changed: boolean;
}

/** One stage in both runs. */
export interface StageComparison {
  readonly stage: string;
  /** Absent when that run has no such stage (the pipeline changed between them). */
  readonly run?: ComparedStage;
  readonly base?: ComparedStage;
  /** `run.durationMs - base.durationMs`, when both ran. */
  readonly deltaMs?: number;
  /** Whether status, up-to-date verdict or outputs differ. */
  readonly changed: boolean;
}

/** One stage of one run, as the comparison shows it. */
export interface ComparedStage {
  readonly status: StageStatus;
  /** How long its last attempt ran, in ms; absent when it did not run (or up to date). */
  readonly durationMs?: number;
  readonly attempts: number;
  /** True when it was skipped as up to date (nothing it reads changed). */
  readonly upToDate: boolean;
  /** What it wrote to `$BATON_OUTPUT` (masked). */
  readonly outputs: Readonly<Record<string, string>>;
}
