import type { AnswerValue, Pipeline, PromptType } from '../pipeline/model';

/** Life cycle of a run. Final states: succeeded, failed, cancelled. `interrupted` is resumable. */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'waiting' // running, and at least one prompt is open that blocks progress
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** Life cycle of a stage within a run. */
export type StageStatus =
  | 'pending' // dependencies not yet done
  | 'ready' // dependencies done, waiting for a concurrency slot
  | 'running'
  | 'waiting' // running, with an open prompt
  | 'retrying' // the last attempt failed; waiting out the backoff
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/** Progress a stage reported. */
export interface Progress {
  /** 0..100 when known. */
  readonly percent?: number;
  readonly value?: number;
  readonly total?: number;
  readonly message?: string;
}

/** State of one stage. Times are epoch milliseconds supplied by the caller's clock. */
export interface StageState {
  readonly id: string;
  readonly status: StageStatus;
  /** The current or last attempt, 1-based; 0 before the first start. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** When the pending retry is due (status `retrying`). */
  readonly retryAt?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly pid?: number;
  readonly progress?: Progress;
  /** Outputs set through `$BATON_OUTPUT`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Why the stage failed, was skipped or cancelled, in plain words. */
  readonly reason?: string;
  /** Set when the shell was asked to kill the running attempt, and why. */
  readonly killRequested?: 'cancel' | 'timeout' | 'idle';
}

/** An open question, either a pipeline input or a prompt a running stage printed. */
export interface PromptState {
  readonly id: string;
  /** The stage that asked, or undefined for a pipeline input. */
  readonly stage?: string;
  /** The stage attempt that asked. */
  readonly attempt?: number;
  readonly message: string;
  readonly type: PromptType;
  readonly options?: readonly string[];
  readonly default?: AnswerValue;
  readonly openedAt: number;
  /** Epoch ms when the prompt times out, if it does. */
  readonly deadline?: number;
}

/** The whole state of a run: what `run.json` holds and what the event log replays to. */
export interface RunState {
  readonly runId: string;
  readonly pipeline: Pipeline;
  readonly status: RunStatus;
  /** Sequence number of the last event applied; 0 for a fresh run. */
  readonly seq: number;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** Whether someone can answer prompts; when false, prompts take defaults or fail. */
  readonly interactive: boolean;
  /** Effective max concurrency. */
  readonly concurrency: number;
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  /** Recorded answers of stage prompts, keyed by `stage/promptId`; reused on retry and resume. */
  readonly answers: Readonly<Record<string, AnswerValue>>;
  /** Stages in pipeline declaration order. */
  readonly stages: Readonly<Record<string, StageState>>;
  readonly prompts: Readonly<Record<string, PromptState>>;
  /** Set once a stop was requested; running stages are being killed. */
  readonly cancelRequested?: boolean;
  /** Why the run failed, in plain words. */
  readonly reason?: string;
}
