/**
 * The run timeline (`baton/getRunTimeline`): a run's stages and their
 * attempts on one time axis, computed by the server from the run's event log.
 * Times are epoch milliseconds; an interval without `end` is still going.
 */
import type { StageStatus } from './stageSnapshot';

/**
 * What a stage attempt was doing during a phase: `queued` (its needs were done
 * and it waited for a concurrency slot), `backoff` (waiting out the retry
 * delay after the attempt before it failed), `pool` (started, waiting for a
 * slot of a `pools:` pool), `input` (a question it asked was open) or
 * `running`.
 */
export type TimelinePhaseKind = 'queued' | 'backoff' | 'pool' | 'input' | 'running';

/** One phase of an attempt. */
export interface TimelinePhase {
  readonly kind: TimelinePhaseKind;
  readonly start: number;
  /** Absent while the phase goes on. */
  readonly end?: number;
}

/**
 * How an attempt ended: the stage statuses an attempt can end in, plus
 * `interrupted` (the process running the run went away).
 */
export type TimelineAttemptEnd = 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** One attempt of a stage, with the wait before it: a bar on the stage's row. */
export interface TimelineAttempt {
  /** The attempt number, 1-based, counted over the whole run (resumes included). */
  readonly attempt: number;
  /** Its phases in time order, without gaps: the first starts the bar, the last ends it. */
  readonly phases: readonly TimelinePhase[];
  /** Absent while the attempt goes on. */
  readonly ended?: TimelineAttemptEnd;
  /** The exit code, when the attempt's process exited. */
  readonly exitCode?: number;
}

/** One row: a stage, or a unit `<stage>[<item>]` of a fanned-out stage. */
export interface TimelineUnit {
  /** The stage or unit id. */
  readonly stage: string;
  /** A unit of a fanned-out stage: that stage's id (the row's group). */
  readonly unitOf?: string;
  /** The stage's status now. */
  readonly status: StageStatus;
  /** Set when the stage was up to date: it did not run (no attempts). */
  readonly upToDate?: boolean;
  /** When a stage that did not run (up to date, skipped) was settled. */
  readonly settledAt?: number;
  /** How long it usually takes (as `StageSnapshot.expectedMs`), when known. */
  readonly expectedMs?: number;
  /**
   * Its attempts in order. While the next attempt waits (queued, or a retry's
   * backoff), it is listed too, with only those phases.
   */
  readonly attempts: readonly TimelineAttempt[];
}

/** A run's timeline. */
export interface RunTimeline {
  readonly runId: string;
  /** The run's event-log sequence number this timeline is complete up to. */
  readonly seq: number;
  /** When the run first started; absent while it is queued. */
  readonly startedAt?: number;
  /** When the run stopped; absent while it goes on. */
  readonly endedAt?: number;
  /** The rows in the run's stage order (a fanned-out stage's units just before it). */
  readonly units: readonly TimelineUnit[];
}
