/**
 * `baton/getRunTimeline`: folds a run's event log into its timeline and keeps
 * the fold of the runs asked about lately, so asking again reads only the
 * events logged since.
 */
import type * as Core from '@baton/core';
import { isStoppedRunStatus } from '@baton/core';
import type * as P from '@baton/protocol';
import { RecentlyUsed } from '../../../cache/recentlyUsed';
import type { EventLogContents } from '../../../store/eventLog';
import { TimelineFold } from './timelineFold';

/** How many runs' folds are kept (the timelines open in editors, a few at most). */
const KEPT_FOLDS = 8;

/** What the timelines are read from. */
export interface TimelineSources {
  /** The run's state now (its stages, pipeline and times). */
  readonly runState: (runId: string) => Promise<Core.RunState>;
  /** Settles once the run's accepted events are in its log (see `Engine.eventsWritten`). */
  readonly eventsWritten: (runId: string) => Promise<void>;
  /** The run's logged events after a sequence number. */
  readonly readEvents: (runId: string, afterSeq: number) => Promise<EventLogContents>;
  /** How long a stage of a pipeline usually takes, when known. */
  readonly expectedMs: (pipelineId: string, stage: string) => number | undefined;
}

/** The timelines of runs, each folded once and brought up to date when asked again. */
export class RunTimelines {
  private readonly folds = new RecentlyUsed<
    string,
    { readonly fold: TimelineFold; readonly needs: Map<string, readonly string[]> }
  >(KEPT_FOLDS);

  constructor(private readonly sources: TimelineSources) {}

  /**
   * The run's timeline now. Its log is read only for what the fold has not
   * followed live (the first time, or after events it missed). Throws what
   * `runState` throws for an unknown run.
   */
  async timeline(runId: string): Promise<P.RunTimeline> {
    const state = await this.sources.runState(runId);
    const fold = this.foldOf(runId, state);
    if (fold.seq < state.seq) {
      // The log may lag behind the state a moment: wait for what the state holds.
      await this.sources.eventsWritten(runId);
      const { events } = await this.sources.readEvents(runId, fold.seq);
      for (const event of events) fold.apply(event);
    }
    return timelineOf(fold, state, (stage) => this.sources.expectedMs(state.pipeline.id, stage));
  }

  /**
   * Follows accepted run events as the server hears of them (its own runs and
   * other processes' alike), for the runs whose folds are kept. Only the next
   * event of a fold is taken; after a gap the next request reads the log.
   */
  follow(changes: readonly FollowedChange[]): void {
    for (const { before, event, after } of changes) {
      const kept = this.folds.get(after.runId);
      if (kept === undefined || event.seq !== kept.fold.seq + 1) continue;
      // A fan-out adds units to the run's pipeline: their needs are known before they start.
      if (after.pipeline !== before.pipeline) noteNeeds(kept.needs, after);
      kept.fold.apply(event);
    }
  }

  private foldOf(runId: string, state: Core.RunState): TimelineFold {
    let kept = this.folds.get(runId);
    if (kept === undefined) {
      const needs = new Map<string, readonly string[]>();
      kept = { fold: new TimelineFold((stage) => needs.get(stage) ?? []), needs };
    }
    // Needs come from the newest state: a fanned-out stage gains its units as the run goes.
    noteNeeds(kept.needs, state);
    // Set again: the most recently used, the last to be dropped.
    this.folds.set(runId, kept);
    return kept.fold;
  }
}

/** A run change as the feed tells it (`RunChange`). */
interface FollowedChange {
  readonly before: Core.RunState;
  readonly event: Core.LoggedEvent;
  readonly after: Core.RunState;
}

function noteNeeds(needs: Map<string, readonly string[]>, state: Core.RunState): void {
  for (const spec of state.pipeline.stages) needs.set(spec.id, spec.needs);
}

/** The wire timeline of a fold, with the statuses and times of the run's state now. */
export function timelineOf(
  fold: TimelineFold,
  state: Core.RunState,
  expectedMs: (stage: string) => number | undefined,
): P.RunTimeline {
  const stopped = isStoppedRunStatus(state.status);
  const units = state.pipeline.stages.flatMap((spec): P.TimelineUnit[] => {
    const stage = state.stages[spec.id];
    if (stage === undefined) return [];
    const row = fold.rows.get(spec.id);
    const expected = expectedMs(spec.id);
    const settledAt = row?.upToDateAt ?? (row?.attempts.length ? undefined : stage.endedAt);
    return [
      {
        stage: spec.id,
        ...(spec.unit === undefined ? {} : { unitOf: spec.unit.stage }),
        status: stage.status,
        ...(row?.upToDateAt === undefined ? {} : { upToDate: true }),
        ...(settledAt === undefined ? {} : { settledAt }),
        ...(expected === undefined ? {} : { expectedMs: expected }),
        attempts: attemptsOf(fold, spec.id, stage, stopped ? state.endedAt : undefined),
      },
    ];
  });
  return {
    runId: state.runId,
    seq: fold.seq,
    ...(state.startedAt === undefined ? {} : { startedAt: state.startedAt }),
    ...(stopped && state.endedAt !== undefined ? { endedAt: state.endedAt } : {}),
    units,
  };
}

/**
 * A row's attempts as the wire shows them. The phases before the next attempt
 * are listed as that attempt while the stage waits for it (queued or
 * retrying); in a stopped run, an attempt the log never saw end ends with it.
 */
function attemptsOf(
  fold: TimelineFold,
  id: string,
  stage: Core.StageState,
  runEndedAt: number | undefined,
): P.TimelineAttempt[] {
  const row = fold.rows.get(id);
  if (row === undefined && stage.status !== 'ready') return [];
  const attempts: P.TimelineAttempt[] = (row?.attempts ?? []).map((open) => {
    const ended = open.ended ?? (runEndedAt === undefined ? undefined : endOf(stage.status));
    const phases = open.phases.map((phase) => {
      const end = phase.end ?? (ended === undefined ? undefined : (stage.endedAt ?? runEndedAt));
      return end === undefined ? { kind: phase.kind, start: phase.start } : { ...phase, end };
    });
    return {
      attempt: open.attempt,
      phases,
      ...(ended === undefined ? {} : { ended }),
      ...(open.exitCode === undefined ? {} : { exitCode: open.exitCode }),
    };
  });
  const waiting = stage.status === 'retrying' || stage.status === 'ready';
  const next = waiting && runEndedAt === undefined ? fold.waitingPhases(id) : [];
  if (next.length > 0)
    attempts.push({ attempt: (row?.attempts.at(-1)?.attempt ?? 0) + 1, phases: next });
  return attempts;
}

function endOf(status: Core.StageStatus): P.TimelineAttemptEnd {
  if (status === 'succeeded' || status === 'failed' || status === 'cancelled') return status;
  return 'interrupted';
}
