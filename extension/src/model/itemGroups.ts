import type { StageSnapshot, StageStatus, WirePipeline } from '@baton/protocol';

/**
 * The units `<stage>[<item>]` of each fanned-out stage of a run view, found
 * in one pass over its stages the first time a view is asked (views are
 * immutable, so the answer is kept per stages array). A view changes per
 * event; the tree asks once per redraw, so a 10,000-item run costs one pass
 * per redraw, not one per event.
 */
const groups = new WeakMap<readonly StageSnapshot[], Map<string, StageSnapshot[]>>();

/** How many item rows an expanded fanned-out stage shows at first, and adds per "Show more". */
export const ITEM_PAGE = 100;

/** The units of every fanned-out stage, in declaration order, by stage id. */
function unitsByStage(stages: readonly StageSnapshot[]): Map<string, StageSnapshot[]> {
  let map = groups.get(stages);
  if (map === undefined) {
    map = new Map();
    for (const stage of stages) {
      if (stage.unitOf === undefined) continue;
      const list = map.get(stage.unitOf);
      if (list === undefined) map.set(stage.unitOf, [stage]);
      else list.push(stage);
    }
    groups.set(stages, map);
  }
  return map;
}

/** The units of fanned-out stage `stageId`, in declaration order (none when it has not fanned out). */
export function unitsOf(
  stages: readonly StageSnapshot[],
  stageId: string,
): readonly StageSnapshot[] {
  return unitsByStage(stages).get(stageId) ?? [];
}

/** The stages a run shows at its top level: every stage that is not a unit. */
export function topLevelStages(stages: readonly StageSnapshot[]): StageSnapshot[] {
  return stages.filter((stage) => stage.unitOf === undefined);
}

/** Which items come first: failed ones, then those under way, then the rest. */
function rank(status: StageStatus): number {
  switch (status) {
    case 'failed':
    case 'cancelled':
      return 0;
    case 'running':
    case 'waiting':
    case 'retrying':
      return 1;
    default:
      return 2;
  }
}

/** One page of a fanned-out stage's items: failed first, then running, then the rest, each in declaration order. */
export interface ItemPage {
  readonly items: readonly StageSnapshot[];
  /** How many items there are in all. */
  readonly total: number;
}

/** The first `shown` items of stage `stageId`, failed and running ones first. */
export function itemPage(
  stages: readonly StageSnapshot[],
  stageId: string,
  shown: number,
): ItemPage {
  const units = unitsOf(stages, stageId);
  const picked: StageSnapshot[] = [];
  // Three passes in rank order keep declaration order within a rank and stop at the page's end.
  for (let wanted = 0; wanted <= 2 && picked.length < shown; wanted++) {
    for (const unit of units) {
      if (rank(unit.status) !== wanted) continue;
      picked.push(unit);
      if (picked.length >= shown) break;
    }
  }
  return { items: picked, total: units.length };
}

const declared = new WeakMap<WirePipeline, ReadonlySet<string>>();

/** The stages a pipeline file declares with `matrix:` or `foreach:` (kept per pipeline object). */
export function declaredFanOuts(pipeline: WirePipeline | undefined): ReadonlySet<string> {
  if (pipeline === undefined) return new Set();
  let ids = declared.get(pipeline);
  if (ids === undefined) {
    ids = new Set(pipeline.stages.filter((s) => s.fanOut !== undefined).map((s) => s.id));
    declared.set(pipeline, ids);
  }
  return ids;
}
