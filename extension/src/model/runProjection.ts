import type {
  BatonEvent,
  PromptInfo,
  RunSummary,
  StageSnapshot,
  StageStatus,
  WireItemCounts,
} from '@baton/protocol';
import { isFinalStageStatus, isStoppedRunStatus } from '@baton/protocol';
import type { RunView } from './runView';
import { countStages, runViewFromSummary } from './runView';
import { stagePosition, withStageAt } from './stageIndex';
import { fanOutOf, withUnitChange } from './itemWindow';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The client's one reducer of a run: applies one event of the server's feed to
 * the run's projection, whether it came live (`didChangeRun.events`,
 * `didOpenPrompt`, …) or from a `baton/getEvents` replay. Returns the new view,
 * or `undefined` when the event is about a run the client has never seen and
 * cannot draw from the event alone (the caller then fetches its snapshot).
 * Applying the same event twice gives the same view, so replays may overlap
 * live notifications.
 */
export function applyEvent(view: RunView | undefined, event: BatonEvent): RunView | undefined {
  if (event.kind === 'runCreated') {
    if (view) return view;
    return runViewFromSummary({
      runId: event.runId,
      pipeline: event.pipeline,
      pipelineName: event.pipelineName,
      file: event.file,
      status: 'queued',
      createdAt: event.time,
      stageCounts: {},
      openPrompts: 0,
      local: event.local,
      ...(event.number !== undefined ? { number: event.number } : {}),
      ...(event.changedInputs !== undefined ? { changedInputs: event.changedInputs } : {}),
    });
  }
  if (!view) return undefined;
  const unitEvent = unitStageEvent(event);
  if (unitEvent !== undefined) return withUnitEvent(view, unitEvent);
  switch (event.kind) {
    case 'runStatusChanged':
      return withSummary(
        view,
        runStatusPatch(view.summary, event.status, event.reason, event.time),
      );
    case 'runResumed':
      return withSummary(view, { ...resumePatch(view.summary, event.time), local: event.local });
    case 'stageStatusChanged':
    case 'stageProgress':
    case 'stageWhere':
      return withStage(view, event.stage, (stage) => patchedStage(stage, event));
    case 'stageItems':
      return withStage(view, event.stage, (stage) => ({ ...stage, items: event.items }));
    case 'promptOpened':
      return withPrompts(view, [
        ...view.prompts.filter((p) => p.promptId !== event.prompt.promptId),
        event.prompt,
      ]);
    case 'promptClosed':
      return withPrompts(
        view,
        view.prompts.filter((p) => p.promptId !== event.promptId),
      );
    case 'annotation':
      return { ...view, annotations: [...view.annotations, event] };
    case 'stageDiagnosed':
      return { ...view, diagnoses: { ...view.diagnoses, [event.stage]: event.diagnosis } };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

type StageEvent = Extract<
  BatonEvent,
  { kind: 'stageStatusChanged' | 'stageProgress' | 'stageWhere' }
>;

/** The event when it changes a unit `<stage>[<item>]` of a fanned-out stage. */
function unitStageEvent(event: BatonEvent): StageEvent | undefined {
  const changesStage =
    event.kind === 'stageStatusChanged' ||
    event.kind === 'stageProgress' ||
    event.kind === 'stageWhere';
  return changesStage && fanOutOf(event.stage) !== undefined ? event : undefined;
}

/**
 * Applies an event about a unit to the window of its stage the view holds,
 * if any; the view's stages and counts do not list units (the stage's own
 * `items` counts them, and come with the stage's events).
 */
function withUnitEvent(view: RunView, event: StageEvent): RunView {
  const stageId = fanOutOf(event.stage);
  const window = stageId === undefined ? undefined : view.items?.[stageId];
  if (stageId === undefined || window === undefined) return view;
  const status = event.kind === 'stageStatusChanged' ? event.status : undefined;
  const next = withUnitChange(window, event.stage, status, (unit) => patchedStage(unit, event));
  return next === window ? view : { ...view, items: { ...view.items, [stageId]: next } };
}

/** A stage snapshot after a status, progress or where event. */
function patchedStage(stage: StageSnapshot, event: StageEvent): StageSnapshot {
  switch (event.kind) {
    case 'stageStatusChanged':
      return stagePatch(stage, event);
    case 'stageProgress':
      return { ...stage, progress: event.progress };
    case 'stageWhere': {
      const next: Mutable<StageSnapshot> = { ...stage, where: event.where };
      setOrDelete(next, 'executorCondition', event.executorCondition);
      return next;
    }
  }
}

/** Replaces a run's open prompts and keeps the summary's count in step. */
export function withPrompts(view: RunView, prompts: readonly PromptInfo[]): RunView {
  return { ...view, prompts, summary: { ...view.summary, openPrompts: prompts.length } };
}

function withSummary(
  view: RunView,
  patch: { [K in keyof RunSummary]?: RunSummary[K] | undefined },
): RunView {
  const summary: Mutable<RunSummary> = { ...view.summary };
  for (const [key, value] of Object.entries(patch) as [keyof RunSummary, unknown][]) {
    if (value === undefined) delete summary[key];
    else (summary as Record<string, unknown>)[key] = value;
  }
  return { ...view, summary };
}

function runStatusPatch(
  summary: RunSummary,
  status: RunSummary['status'],
  reason: string | undefined,
  time: number,
): { [K in keyof RunSummary]?: RunSummary[K] | undefined } {
  return {
    status,
    reason,
    startedAt: summary.startedAt ?? (status === 'running' ? time : undefined),
    endedAt: isStoppedRunStatus(status) ? time : undefined,
  };
}

/**
 * What a resume changes in a summary, as the core does: the run is running
 * again, and the time it ran so far is kept apart from the wait before the
 * resume (`earlierRanMs`). A replay that applies the same resume twice gives
 * the same result: a resume at `resumedAt` is not counted again.
 */
function resumePatch(
  summary: RunSummary,
  time: number,
): { [K in keyof RunSummary]?: RunSummary[K] | undefined } {
  const base = { status: 'running' as const, endedAt: undefined, reason: undefined };
  if (summary.resumedAt === time) return base;
  const goStart = summary.resumedAt ?? summary.startedAt;
  const lastGo =
    goStart !== undefined && summary.endedAt !== undefined ? summary.endedAt - goStart : 0;
  return {
    ...base,
    resumedAt: time,
    resumes: (summary.resumes ?? 0) + 1,
    earlierRanMs: (summary.earlierRanMs ?? 0) + Math.max(0, lastGo),
  };
}

/**
 * Applies `update` to one stage. Its position comes from `stageIndex` and the
 * run's counts change by the one status that moved, so an event costs the
 * same in a 10,000-unit run as in a small one (bar copying the array).
 */
function withStage(
  view: RunView,
  stageId: string,
  update: (stage: StageSnapshot) => StageSnapshot,
): RunView {
  const index = stagePosition(view.stages, stageId);
  const known = index >= 0 ? view.stages[index] : undefined;
  const base: StageSnapshot = known ?? {
    id: stageId,
    status: 'pending',
    needs: [],
    attempt: 0,
    maxAttempts: 1,
    outputs: {},
  };
  const next = update(base);
  const stages = withStageAt(view.stages, index, next);
  // A run known from its summary alone has counts for stages it does not list: count what it lists.
  const stageCounts = view.detailed
    ? itemsCounted(
        movedCount(view.summary.stageCounts, known?.status, next.status),
        known?.items,
        next.items,
      )
    : countStages(stages);
  return { ...view, stages, summary: { ...view.summary, stageCounts } };
}

/** `counts` with one stage moved from status `from` (absent: a new stage) to `to`. */
function movedCount(
  counts: Readonly<Partial<Record<StageStatus, number>>>,
  from: StageStatus | undefined,
  to: StageStatus,
): Partial<Record<StageStatus, number>> {
  if (from === to) return counts;
  const next = { ...counts };
  if (from !== undefined) {
    const left = (next[from] ?? 0) - 1;
    if (left > 0) next[from] = left;
    else delete next[from];
  }
  next[to] = (next[to] ?? 0) + 1;
  return next;
}

/** `counts` with a fanned-out stage's units moved from its `before` item counts to its `after` ones. */
function itemsCounted(
  counts: Readonly<Partial<Record<StageStatus, number>>>,
  before: WireItemCounts | undefined,
  after: WireItemCounts | undefined,
): Partial<Record<StageStatus, number>> {
  if (before === after) return counts;
  const next: Partial<Record<StageStatus, number>> = { ...counts };
  const add = (items: WireItemCounts | undefined, sign: 1 | -1): void => {
    for (const [status, count] of Object.entries(items?.counts ?? {}) as [StageStatus, number][]) {
      const total = (next[status] ?? 0) + sign * count;
      if (total > 0) next[status] = total;
      else delete next[status];
    }
  };
  add(before, -1);
  add(after, 1);
  return next;
}

function stagePatch(
  stage: StageSnapshot,
  event: Extract<BatonEvent, { kind: 'stageStatusChanged' }>,
): StageSnapshot {
  const next: Mutable<StageSnapshot> = {
    ...stage,
    status: event.status,
    attempt: event.attempt,
    maxAttempts: event.maxAttempts,
  };
  // The event carries these as the stage has them after it: absent means cleared.
  setOrDelete(next, 'reason', event.reason);
  setOrDelete(next, 'exitCode', event.exitCode);
  setOrDelete(next, 'signal', event.signal);
  setOrDelete(next, 'retryAt', event.retryAt);
  setOrDelete(next, 'plan', event.plan);
  setOrDelete(next, 'upToDate', event.upToDate);
  setOrDelete(next, 'where', event.where);
  setOrDelete(next, 'executorCondition', event.executorCondition);
  if (event.outputs !== undefined) next.outputs = event.outputs;
  if (event.unitOf !== undefined) next.unitOf = event.unitOf;
  if (event.items !== undefined) next.items = event.items;
  if (event.status === 'running' && stage.status !== 'waiting') {
    next.startedAt = event.time;
    delete next.endedAt;
    delete next.progress;
  }
  if (isFinalStageStatus(event.status)) {
    next.endedAt = event.time;
  }
  return next;
}

function setOrDelete<
  K extends
    | 'reason'
    | 'exitCode'
    | 'signal'
    | 'retryAt'
    | 'plan'
    | 'upToDate'
    | 'where'
    | 'executorCondition',
>(stage: Mutable<StageSnapshot>, key: K, value: StageSnapshot[K] | undefined): void {
  if (value === undefined) delete stage[key];
  else stage[key] = value;
}
