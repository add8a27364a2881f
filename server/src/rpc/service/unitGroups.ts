/**
 * Which units of a fanned-out stage are failed (group 0) and under way
 * (group 1), kept in step with the run's states by the stages each state
 * changed. A page of units lists these two groups first: finding them by
 * reading every unit's status cost `baton/getRun` and `baton/listItems` a
 * walk of 10,000 units per request (1.2 s each over a 10,000-item run),
 * where they are a handful.
 */
import type * as Core from '@baton/core';
import { changedStageIds, pipelineIndex } from '@baton/core';
import { itemGroupOf } from '@baton/protocol';

/** The failed and the under-way units of one stage, by their 0-based unit index. */
export type UnitGroups = readonly [ReadonlyMap<string, number>, ReadonlyMap<string, number>];

interface Tracked {
  /** The state the groups are as of. */
  seen: Core.RunState;
  readonly groups: [Map<string, number>, Map<string, number>];
}

// Keyed by the units list of a fanned-out stage (its needs once expanded): one
// per stage and expanded pipeline, so one per run and stage.
const tracked = new WeakMap<readonly string[], Tracked>();

/** The failed and under-way units among `units` (stage `stageId`'s) in `state`. */
export function unitGroupsOf(
  state: Core.RunState,
  stageId: string,
  units: readonly string[],
): UnitGroups {
  const kept = tracked.get(units);
  if (kept === undefined) {
    const fresh: Tracked = { seen: state, groups: [new Map(), new Map()] };
    units.forEach((id) => place(fresh, state, id, stageId));
    tracked.set(units, fresh);
    return fresh.groups;
  }
  if (kept.seen !== state) {
    // Any two states of one run compare by their chunks; a plain state is read whole.
    const changed = changedStageIds(kept.seen, state) ?? units;
    for (const id of changed) place(kept, state, id, stageId);
    kept.seen = state;
  }
  return kept.groups;
}

/** Puts a unit in the group its status in `state` says (none for a unit not of `stageId`). */
function place(tracked: Tracked, state: Core.RunState, id: string, stageId: string): void {
  const unit = pipelineIndex(state.pipeline).specs.get(id)?.unit;
  if (unit?.stage !== stageId) return;
  const [failed, underWay] = tracked.groups;
  failed.delete(id);
  underWay.delete(id);
  const status = state.stages[id]?.status;
  if (status === undefined) return;
  const group = itemGroupOf(status);
  if (group === 0) failed.set(id, unit.index);
  else if (group === 1) underWay.set(id, unit.index);
}
