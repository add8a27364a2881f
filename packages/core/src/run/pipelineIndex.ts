import type { Pipeline, StageSpec } from '../pipeline/model';

/**
 * Look-up tables over a pipeline's stages, built once per pipeline object so
 * that a transition on a large run costs what the event changes, not a walk
 * of every stage.
 */
export interface PipelineIndex {
  /** Each stage's declaration by id. */
  readonly specs: ReadonlyMap<string, StageSpec>;
  /** Each stage's position in `pipeline.stages`. */
  readonly positions: ReadonlyMap<string, number>;
  /** For each stage, the stages that list it in `needs`, in declaration order (each once). */
  readonly dependants: ReadonlyMap<string, readonly string[]>;
}

// Pipelines are immutable values shared by every state of a run, so one index serves them all.
const indexes = new WeakMap<Pipeline, PipelineIndex>();

function buildIndex(pipeline: Pipeline): PipelineIndex {
  const specs = new Map<string, StageSpec>();
  const positions = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  pipeline.stages.forEach((spec, position) => {
    // The first declaration wins, as `Array.prototype.find` did before this index.
    if (specs.has(spec.id)) return;
    specs.set(spec.id, spec);
    positions.set(spec.id, position);
  });
  for (const spec of pipeline.stages) {
    if (specs.get(spec.id) !== spec) continue;
    for (const need of new Set(spec.needs)) {
      const list = dependants.get(need);
      if (list === undefined) dependants.set(need, [spec.id]);
      else list.push(spec.id);
    }
  }
  return { specs, positions, dependants };
}

/** The look-up tables of `pipeline`, built on first use and cached for the pipeline object. */
export function pipelineIndex(pipeline: Pipeline): PipelineIndex {
  let index = indexes.get(pipeline);
  if (index === undefined) {
    index = buildIndex(pipeline);
    indexes.set(pipeline, index);
  }
  return index;
}
