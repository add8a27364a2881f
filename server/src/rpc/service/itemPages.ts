/**
 * A fanned-out stage's units a page at a time (`baton/listItems`), and the
 * few of them a run's snapshot lists (`baton/getRun`): failed first, then
 * those under way, then the rest. Only unit statuses are read to order them;
 * the wire snapshots are built for the units returned alone, so a page of a
 * 10,000-item stage costs its page, not the stage.
 */
import type * as Core from '@baton/core';
import { pipelineIndex } from '@baton/core';
import type { UnitGroups } from './unitGroups';
import { unitGroupsOf } from './unitGroups';

/** Where a page stopped: the group and the declaration position of its last unit. */
export interface ItemCursor {
  readonly group: 0 | 1 | 2;
  readonly index: number;
}

/** The ids of one page, and where the next one starts (absent: none). */
export interface ItemIdPage {
  readonly ids: readonly string[];
  readonly next?: ItemCursor;
}

const CURSOR_PATTERN = /^([012]):(0|[1-9]\d{0,8})$/;

/** A cursor as `nextCursor` writes it. */
export function formatItemCursor(cursor: ItemCursor): string {
  return `${cursor.group}:${cursor.index}`;
}

/** A `nextCursor` read back; undefined when the text is not one. */
export function parseItemCursor(text: string): ItemCursor | undefined {
  const match = CURSOR_PATTERN.exec(text);
  if (match === null) return undefined;
  return { group: Number(match[1]) as 0 | 1 | 2, index: Number(match[2]) };
}

/**
 * The units of `stageId` in declaration order: `[]` for a stage that will fan
 * out but has not yet, undefined for a stage that does not fan out (or does
 * not exist). A fanned-out stage needs exactly its units, in order.
 */
export function unitIdsOf(state: Core.RunState, stageId: string): readonly string[] | undefined {
  const spec = pipelineIndex(state.pipeline).specs.get(stageId);
  if (spec === undefined || spec.unit !== undefined) return undefined;
  if (spec.gather !== undefined) return spec.needs;
  return spec.matrix !== undefined || spec.foreach !== undefined ? [] : undefined;
}

/**
 * One page of `units`: after `after` (or from the start), at most `limit`
 * ids in group order, declaration order within a group. `lastGroup` stops
 * early (the snapshot wants groups 0 and 1 only). The failed and under-way
 * units are known without reading the others (`unitGroupsOf`); the rest are
 * walked in order from the cursor, skipping those, until the page is full.
 */
export function itemIdPage(
  state: Core.RunState,
  stageId: string,
  units: readonly string[],
  options: { readonly limit: number; readonly after?: ItemCursor; readonly lastGroup?: 0 | 1 | 2 },
): ItemIdPage {
  const { limit, after, lastGroup = 2 } = options;
  const groups = unitGroupsOf(state, stageId, units);
  const ids: string[] = [];
  let last: ItemCursor | undefined;
  for (let group = after?.group ?? 0; group <= lastGroup; group++) {
    const from = after !== undefined && group === after.group ? after.index + 1 : 0;
    const members =
      group === 2 ? restOf(state, units, from, groups) : membersOf(groups, group, from);
    for (const [id, index] of members) {
      if (ids.length === limit) return { ids, ...(last === undefined ? {} : { next: last }) };
      ids.push(id);
      last = { group: group as 0 | 1 | 2, index };
    }
  }
  return { ids };
}

/** The units of group 0 or 1 from unit index `from` on, in declaration order. */
function membersOf(groups: UnitGroups, group: 0 | 1 | 2, from: number): [string, number][] {
  const members = groups[group as 0 | 1];
  return [...members].filter(([, index]) => index >= from).sort((a, b) => a[1] - b[1]);
}

/** The other units (group 2) from unit index `from` on, in declaration order, read as needed. */
function* restOf(
  state: Core.RunState,
  units: readonly string[],
  from: number,
  groups: UnitGroups,
): Generator<[string, number]> {
  const [failed, underWay] = groups;
  for (let index = from; index < units.length; index++) {
    const id = units[index] as string;
    if (failed.has(id) || underWay.has(id) || state.stages[id] === undefined) continue;
    yield [id, index];
  }
}

// The stages of a run's pipeline that are not units, per pipeline object (a
// fan-out replaces the run's pipeline once, so this is built once per fan-out).
const topLevel = new WeakMap<Core.Pipeline, readonly Core.StageSpec[]>();

function topLevelSpecs(pipeline: Core.Pipeline): readonly Core.StageSpec[] {
  let specs = topLevel.get(pipeline);
  if (specs === undefined) {
    specs = pipeline.stages.filter((spec) => spec.unit === undefined);
    topLevel.set(pipeline, specs);
  }
  return specs;
}

/**
 * The stage ids a `baton/getRun` answer lists, in declaration order: every
 * stage that is not a unit and, just before each fanned-out stage (where its
 * units stand), its failed and running units, at most `perStage`; with
 * `allUnits`, every stage and unit. `partial` tells whether units were left out.
 */
export function snapshotStageIds(
  state: Core.RunState,
  options: { readonly allUnits: boolean; readonly perStage: number },
): { readonly ids: readonly string[]; readonly partial: boolean } {
  if (options.allUnits)
    return { ids: state.pipeline.stages.map((spec) => spec.id), partial: false };
  const ids: string[] = [];
  let partial = false;
  for (const spec of topLevelSpecs(state.pipeline)) {
    const units = spec.gather === undefined ? undefined : spec.needs;
    if (units !== undefined && units.length > 0) {
      const page = itemIdPage(state, spec.id, units, { limit: options.perStage, lastGroup: 1 });
      if (page.ids.length < units.length) partial = true;
      // Declaration order among the units listed, as among stages.
      const position = pipelineIndex(state.pipeline).positions;
      ids.push(...[...page.ids].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0)));
    }
    ids.push(spec.id);
  }
  return { ids, partial };
}
