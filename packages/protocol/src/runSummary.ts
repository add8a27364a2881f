/**
 * A run in a list: its status and enough to draw a row. Times are epoch
 * milliseconds.
 */
import type { AnswerValue } from './promptInfo';
import type { StageStatus } from './stageSnapshot';

/** Life cycle of a run. Final: `succeeded`, `failed`, `cancelled`. `interrupted` is resumable. */
export type RunStatus =
  | 'queued'
  | 'running'
  /** Running, with at least one open prompt that blocks progress. */
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** A run in a list: enough to draw a row. */
export interface RunSummary {
  readonly runId: string;
  /** The pipeline id. */
  readonly pipeline: string;
  readonly pipelineName: string;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  /**
   * The run's number among its pipeline's runs (1, 2, …), assigned by the
   * server when the run is created and stored with it; absent for runs made
   * before numbers existed. A run's label is `‹pipelineName› #‹number›`.
   */
  readonly number?: number;
  /** The inputs whose value differs from the pipeline's default (secret inputs left out), for the label. */
  readonly changedInputs?: Readonly<Record<string, AnswerValue>>;
  readonly status: RunStatus;
  readonly createdAt: number;
  /** When the run first started. */
  readonly startedAt?: number;
  /** When the run last stopped (absent while it runs). */
  readonly endedAt?: number;
  /** When the run was last resumed; absent when it never was. */
  readonly resumedAt?: number;
  /** How often the run was resumed (absent: never). */
  readonly resumes?: number;
  /** How long the run ran before its last resume (its earlier goes added up), in ms. */
  readonly earlierRanMs?: number;
  /**
   * How long the run ran, in ms: its goes added up, the time it sat failed or
   * interrupted before a resume left out. Only once it stopped; while it runs
   * a client counts on from `resumedAt ?? startedAt`.
   */
  readonly ranMs?: number;
  readonly reason?: string;
  /** How many stages are in each status (statuses with no stage are omitted). */
  readonly stageCounts: Readonly<Partial<Record<StageStatus, number>>>;
  readonly openPrompts: number;
  /** True when this server process runs or ran the run (started or resumed it); false when another process (CLI, another window) did. */
  readonly local: boolean;
}
