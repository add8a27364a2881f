import type { Pipeline } from '../pipeline/model';
import { PositionHeap } from './positionHeap';
import type { RunState } from './state';

/**
 * The positions of a run's ready stages, smallest first, so that starting
 * the next ready stage costs a heap pop instead of a walk of every stage.
 * The heaps may also hold stale positions (stages no longer ready, repeats):
 * whoever pops checks the stage's status. Stages that take pool slots
 * (`resources:`) wait in heaps of their own, since what lets them go on (a
 * place in the pool queue, then a concurrency slot) is not what lets the
 * others start: one kind held back never makes a pop walk past the other.
 */
export interface ReadyHeap {
  readonly pipeline: Pipeline;
  /** Ready stages without `resources:`, waiting for a concurrency slot. */
  readonly heap: PositionHeap;
  /** Ready stages with `resources:`, waiting for a place in their pools' queue. */
  readonly pooled: PositionHeap;
  /** Stages that hold their pool slots (`waitingForPool`, slots `held`), waiting for a concurrency slot. */
  readonly granted: PositionHeap;
}

/** Whether a stage takes pool slots. */
export function takesSlots(spec: {
  readonly resources?: Readonly<Record<string, number>>;
}): boolean {
  return spec.resources !== undefined && Object.keys(spec.resources).length > 0;
}

// The heap of the newest stages record of each run. One heap serves a run
// from event to event: each transition takes it from the record it started
// from and hands it on to the record it produced, so a record that already
// handed its heap on (a state transitioned a second time) builds a new one.
const heaps = new WeakMap<RunState['stages'], ReadyHeap>();

/** A heap of every stage of `stages` that is ready now. */
function buildReadyHeap(pipeline: Pipeline, stages: RunState['stages']): ReadyHeap {
  const ready: ReadyHeap = {
    pipeline,
    heap: new PositionHeap(),
    pooled: new PositionHeap(),
    granted: new PositionHeap(),
  };
  pipeline.stages.forEach((spec, position) => {
    const stage = stages[spec.id];
    if (stage?.status === 'ready') (takesSlots(spec) ? ready.pooled : ready.heap).push(position);
    else if (stage?.status === 'waitingForPool' && stage.slots === 'held') {
      ready.granted.push(position);
    }
  });
  return ready;
}

/**
 * Takes the ready heap of the record `base` for a transition to own, or
 * builds one from `current` (the transition's stages so far) when `base` has
 * none. The caller must have pushed every stage that became ready since `base`.
 */
export function takeReadyHeap(
  pipeline: Pipeline,
  base: RunState['stages'],
  current: RunState['stages'],
): ReadyHeap {
  const known = heaps.get(base);
  heaps.delete(base);
  return known?.pipeline === pipeline ? known : buildReadyHeap(pipeline, current);
}

/**
 * Hands the ready heap on from the record a transition started from to the
 * one it produced: the heap it took (`owned`), else the one `base` had, which
 * still holds every ready stage since no stage became ready.
 */
export function handOnReadyHeap(
  base: RunState['stages'],
  next: RunState['stages'],
  owned: ReadyHeap | undefined,
): void {
  const heap = owned ?? heaps.get(base);
  if (heap === undefined) return;
  heaps.delete(base);
  heaps.set(next, heap);
}
