/**
 * One stage of a run as a client shows it: its status and the state of its
 * current or last attempt. Times are epoch milliseconds.
 */
import type { ExecutorCondition } from './executorConditions';
import type { WireProgress } from './stageReports';

/** Life cycle of a stage within a run. */
export type StageStatus =
  /** Dependencies not done yet. */
  | 'pending'
  /** Dependencies done; waiting for a concurrency slot. */
  | 'ready'
  /**
   * Queued for its pools' slots (`resources:`), across runs and processes, in
   * order of arrival; or holding them until a concurrency slot frees. The
   * stage's `reason` says which pool and who holds it. Holds no concurrency slot.
   */
  | 'waitingForPool'
  | 'running'
  /** Running, with an open prompt. */
  | 'waiting'
  /** The last attempt failed; waiting out the backoff before the next one. */
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/** The state of one stage of a run. */
export interface StageSnapshot {
  readonly id: string;
  readonly status: StageStatus;
  /** The stages it needs as declared (a fanned-out stage's own needs, never its units). */
  readonly needs: readonly string[];
  /** The current or last attempt, 1-based; 0 before the first start. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** When the pending retry is due (status `retrying`). */
  readonly retryAt?: number;
  /** Expected duration from past runs, when known. */
  readonly expectedMs?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly progress?: WireProgress;
  /** Why the stage failed, was skipped or cancelled, in plain words. */
  readonly reason?: string;
  /** Outputs the stage set through `$BATON_OUTPUT`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Why the stage runs, or why it was skipped as up to date ("deps changed: data/03.txt"). */
  readonly plan?: string;
  /** Set when the stage was up to date: the run whose recorded success it reused. */
  readonly upToDate?: string;
  /**
   * How many attempts one go of the stage may take (`retry.attempts`; 1: no
   * retries). A resume gives a stage a fresh go, so `attempt` can pass it.
   */
  readonly attemptsPerGo?: number;
  /** Where the current or last attempt runs when not locally, e.g. `queue gpu` (see docs/executors.md). */
  readonly where?: string;
  /** What holds the running remote attempt up, while something does (see `executorConditionText`). */
  readonly executorCondition?: ExecutorCondition;
  /** A fanned-out stage (`matrix:`/`foreach:`): its units counted by status. */
  readonly items?: WireItemCounts;
  /** A unit `<stage>[<item>]` of a fanned-out stage: that stage's id. */
  readonly unitOf?: string;
}

/** How many units of a fanned-out stage are in each status (absent statuses: none). */
export interface WireItemCounts {
  readonly total: number;
  readonly counts: Readonly<Partial<Record<StageStatus, number>>>;
}
