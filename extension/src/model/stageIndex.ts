import type { StageSnapshot } from '@baton/protocol';

/**
 * Where each stage sits in a run view's `stages`, found without a walk of a
 * 10,000-unit run per event. A view's array is replaced on every change (the
 * views are immutable), so one position map is handed from array to array as
 * long as positions stay put; a lookup checks the answer against the array,
 * so a map shared by two diverging copies only costs a rebuild, never a
 * wrong answer.
 */
const positions = new WeakMap<readonly StageSnapshot[], Map<string, number>>();

function positionsOf(stages: readonly StageSnapshot[]): Map<string, number> {
  let map = positions.get(stages);
  if (map === undefined) {
    map = new Map(stages.map((stage, index) => [stage.id, index]));
    positions.set(stages, map);
  }
  return map;
}

/** The position of stage `id` in `stages`, or -1. */
export function stagePosition(stages: readonly StageSnapshot[], id: string): number {
  const index = positionsOf(stages).get(id);
  if (index !== undefined && stages[index]?.id === id) return index;
  if (index === undefined && positionsOf(stages).size === stages.length) return -1;
  // The shared map disagrees with this array: rebuild it for this array alone.
  const fresh = new Map(stages.map((stage, i) => [stage.id, i]));
  positions.set(stages, fresh);
  return fresh.get(id) ?? -1;
}

/**
 * `stages` with the stage at `index` replaced by `stage`, or `stage` added at
 * the end when `index` is -1; the new array keeps the position map.
 */
export function withStageAt(
  stages: readonly StageSnapshot[],
  index: number,
  stage: StageSnapshot,
): readonly StageSnapshot[] {
  const map = positionsOf(stages);
  const next = [...stages];
  if (index >= 0) next[index] = stage;
  else {
    map.set(stage.id, next.length);
    next.push(stage);
  }
  positions.set(next, map);
  return next;
}
