import type { StageSnapshot, WirePipeline } from '@baton/protocol';

/** The stages a run shows at its top level: every stage that is not a unit. */
export function topLevelStages(stages: readonly StageSnapshot[]): StageSnapshot[] {
  return stages.filter((stage) => stage.unitOf === undefined);
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
