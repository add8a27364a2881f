import type { StageSpec } from '../pipeline/model';
import type { Writable } from '../pipeline/writable';
import type { Effect } from './effects';
import { pipelineIndex } from './pipelineIndex';
import { canRunTransition, canStageTransition, isStoppedRunStatus } from './machines';
import type { StatusCounts } from './statusCounts';
import type { ReadyHeap } from './readyStages';
import { handOnReadyHeap, takeReadyHeap, takesSlots } from './readyStages';
import { countStatuses, rememberCounts } from './statusCounts';
import type { RunState, RunStatus, StageState, StageStatus } from './state';
import { StagesWriter } from './stageTable';

/** The records of a run state a draft copies on first write. */
type RecordName = 'stages' | 'prompts' | 'inputs' | 'answers';

/**
 * The reducer's working copy of a run for one event. Handlers change it and
 * push effects; `transition` turns it back into an immutable state, or
 * throws it away when the event is rejected. The records start as the
 * base's own and are copied on their first change (`writable`; the stages
 * record through a `StagesWriter`, which copies only the chunks it changes),
 * so an event pays for a copy only of what it changes. Every status change goes through
 * `setRunStatus`/`updateStage`, which enforce the transition tables.
 */
export interface Draft {
  readonly base: RunState;
  /** The event's time. */
  readonly at: number;
  readonly run: Writable<Omit<RunState, RecordName>>;
  /** The stage states as of now; change them only through `updateStage`. */
  stages: RunState['stages'];
  /** The open prompts as of now; change them through `writable(draft, 'prompts')`. */
  prompts: RunState['prompts'];
  inputs: RunState['inputs'];
  answers: RunState['answers'];
  /** The records this draft has copied, which it may change in place. */
  readonly copied: Set<RecordName>;
  /** Writes the draft's stages record (see `stageTable.ts`), once a stage changed. */
  stagesWriter: StagesWriter | undefined;
  readonly effects: Effect[];
  /** Ids of the stages `updateStage` replaced during this event, in order (with repeats). */
  readonly touched: string[];
  /** How many declared stages are in each status now; `updateStage` keeps it current. */
  readonly counts: StatusCounts;
  /** The ready stages' heap, once this draft took it (see `readyHeapOf`). */
  ready: ReadyHeap | undefined;
  /** The last final or interrupted status the run entered during this event, for `runFinished`. */
  stoppedAs: RunStatus | undefined;
}

/** Starts a working copy of `state` for an event at time `at`. */
export function openDraft(state: RunState, at: number): Draft {
  const { stages, prompts, inputs, answers, ...run } = state;
  return {
    base: state,
    at,
    run: { ...run },
    stages,
    prompts,
    inputs,
    answers,
    copied: new Set(),
    stagesWriter: undefined,
    effects: [],
    touched: [],
    counts: countStatuses(run.pipeline, stages),
    ready: undefined,
    stoppedAs: undefined,
  };
}

/**
 * The draft's own copy of one of its records other than stages, made on
 * first use, which the caller may change in place.
 */
export function writable<K extends Exclude<RecordName, 'stages'>>(
  draft: Draft,
  name: K,
): Writable<RunState[K]> {
  if (!draft.copied.has(name)) {
    draft[name] = { ...draft[name] } as Draft[K];
    draft.copied.add(name);
  }
  return draft[name] as Writable<RunState[K]>;
}

/** The draft's new version of its stages record, made on the first stage change. */
function stagesWriter(draft: Draft): StagesWriter {
  if (draft.stagesWriter === undefined) {
    draft.stagesWriter = new StagesWriter(draft.stages);
    draft.stages = draft.stagesWriter.record;
  }
  return draft.stagesWriter;
}

/** The ready stages' heap, which this draft owns from its first use until `closeDraft`. */
export function readyHeapOf(draft: Draft): ReadyHeap {
  draft.ready ??= takeReadyHeap(draft.run.pipeline, draft.base.stages, draft.stages);
  return draft.ready;
}

/** The immutable state a draft describes, with `seq` advanced by one. */
export function closeDraft(draft: Draft): RunState {
  rememberCounts(draft.run.pipeline, draft.stages, draft.counts);
  handOnReadyHeap(draft.base.stages, draft.stages, draft.ready);
  return {
    ...draft.run,
    seq: draft.base.seq + 1,
    stages: draft.stages,
    prompts: draft.prompts,
    inputs: draft.inputs,
    answers: draft.answers,
  };
}

/** Changes the run status, refusing any change the run machine does not allow. */
export function setRunStatus(draft: Draft, to: RunStatus): void {
  const from = draft.run.status;
  if (from === to) return;
  if (!canRunTransition(from, to)) {
    throw new Error(`internal error: run ${draft.run.runId} cannot go from ${from} to ${to}`);
  }
  draft.run.status = to;
  if (isStoppedRunStatus(to)) draft.stoppedAs = to;
}

/** The current state of a stage the pipeline declares (throws for an unknown id: a bug). */
export function stageOf(draft: Draft, id: string): StageState {
  const stage = draft.stages[id];
  if (stage === undefined) throw new Error(`internal error: no stage '${id}'`);
  return stage;
}

/** A stage's position in `pipeline.stages` (throws for an unknown id: a bug). */
export function positionOf(draft: Draft, id: string): number {
  const position = pipelineIndex(draft.run.pipeline).positions.get(id);
  if (position === undefined) throw new Error(`internal error: no stage spec '${id}'`);
  return position;
}

/** The declaration of a stage (throws for an unknown id: a bug). */
export function specOf(draft: Draft, id: string): StageSpec {
  const spec = pipelineIndex(draft.run.pipeline).specs.get(id);
  if (spec === undefined) throw new Error(`internal error: no stage spec '${id}'`);
  return spec;
}

/**
 * Updates one stage through `change`, which edits a fresh copy; a status
 * change must be allowed by the stage machine.
 */
export function updateStage(
  draft: Draft,
  id: string,
  change: (stage: Writable<StageState>) => void,
): void {
  const before = stageOf(draft, id);
  const after: Writable<StageState> = { ...before };
  change(after);
  if (before.status !== after.status && !canStageTransition(before.status, after.status)) {
    throw new Error(
      `internal error: stage '${id}' cannot go from ${before.status} to ${after.status}`,
    );
  }
  // Whatever way a stage stops running or waiting (exit, cancel, skip, resume),
  // its pool slots go back: one place decides it, so none can leak.
  if (after.slots !== undefined && !keepsSlots(after.status)) {
    delete after.slots;
    draft.effects.push({ type: 'releaseSlots', stage: id });
  }
  stagesWriter(draft).set(after);
  draft.touched.push(id);
  if (before.status !== after.status) {
    draft.counts[before.status] -= 1;
    draft.counts[after.status] += 1;
    if (after.status === 'ready') {
      const ready = readyHeapOf(draft);
      const spec = specOf(draft, id);
      (takesSlots(spec) ? ready.pooled : ready.heap).push(positionOf(draft, id));
    }
    const unit = specOf(draft, id).unit;
    if (unit !== undefined) countItem(draft, unit.stage, before.status, after.status);
  }
}

/**
 * Adds new stages to the run (the units of a stage that just fanned out):
 * their states go into the draft's stages record, counted and touched. The
 * caller has already put their declarations into `draft.run.pipeline`.
 */
export function addStages(draft: Draft, states: readonly StageState[]): void {
  const stages = stagesWriter(draft);
  for (const state of states) {
    stages.set(state);
    draft.counts[state.status] += 1;
    draft.touched.push(state.id);
  }
  // Positions moved: the ready heap is rebuilt for the new pipeline.
  draft.ready = takeReadyHeap(draft.run.pipeline, draft.base.stages, draft.stages);
}

/** Whether a stage in `status` keeps the pool slots it waits for or holds. */
function keepsSlots(status: StageStatus): boolean {
  return status === 'waitingForPool' || status === 'running' || status === 'waiting';
}

/** Moves one unit of a fanned-out stage from one status count to another. */
function countItem(draft: Draft, stage: string, from: StageStatus, to: StageStatus): void {
  updateStage(draft, stage, (s) => {
    if (s.items === undefined) return;
    const counts = { ...s.items.counts };
    counts[from] -= 1;
    counts[to] += 1;
    s.items = { total: s.items.total, counts };
  });
}

/** Removes the fields that describe one attempt, before the next one starts. */
export function clearAttemptFields(stage: Writable<StageState>): void {
  delete stage.endedAt;
  delete stage.retryAt;
  delete stage.exitCode;
  delete stage.signal;
  delete stage.pid;
  delete stage.handle;
  delete stage.progress;
  delete stage.lastActivityAt;
  delete stage.reason;
  delete stage.killRequested;
  delete stage.lastDiagnosis;
  delete stage.executorCondition;
  delete stage.exported;
}

/** Stage states in pipeline declaration order. */
export function stagesInOrder(draft: Draft): StageState[] {
  return draft.run.pipeline.stages.map((spec) => stageOf(draft, spec.id));
}
