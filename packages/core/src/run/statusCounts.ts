import type { Pipeline } from '../pipeline/model';
import type { RunState, StageStatus } from './state';

/** How many of a run's declared stages are in each status. */
export type StatusCounts = Record<StageStatus, number>;

// Each transition hands the counts of its new stages record on, so only a
// state that no transition produced (a fresh or loaded run) is counted in full.
const known = new WeakMap<RunState['stages'], { pipeline: Pipeline; counts: StatusCounts }>();

/** Counts with every status at zero. */
export function emptyCounts(): StatusCounts {
  return {
    pending: 0,
    ready: 0,
    waitingForPool: 0,
    running: 0,
    waiting: 0,
    retrying: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
  };
}

/**
 * A fresh, writable copy of the status counts of `stages`, the stage states
 * of a run of `pipeline`. Throws for a declared stage with no state: a bug.
 */
export function countStatuses(pipeline: Pipeline, stages: RunState['stages']): StatusCounts {
  const cached = known.get(stages);
  if (cached?.pipeline === pipeline) return { ...cached.counts };
  const counts = emptyCounts();
  for (const spec of pipeline.stages) {
    const stage = stages[spec.id];
    if (stage === undefined) throw new Error(`internal error: no stage '${spec.id}'`);
    counts[stage.status] += 1;
  }
  return counts;
}

/** Remembers the counts of a stages record that will not change again. */
export function rememberCounts(
  pipeline: Pipeline,
  stages: RunState['stages'],
  counts: StatusCounts,
): void {
  known.set(stages, { pipeline, counts: { ...counts } });
}

/**
 * How many of a run's stages are in each status (statuses with none left
 * out), for summaries. A state a transition made has its counts at hand, so
 * this does not read every stage; any other state is counted stage by stage.
 */
export function stageStatusCounts(state: RunState): Partial<StatusCounts> {
  const cached = known.get(state.stages);
  const counts: Partial<StatusCounts> = {};
  if (cached?.pipeline === state.pipeline) {
    for (const [status, count] of Object.entries(cached.counts) as [StageStatus, number][]) {
      if (count > 0) counts[status] = count;
    }
    return counts;
  }
  for (const stage of Object.values(state.stages)) {
    counts[stage.status] = (counts[stage.status] ?? 0) + 1;
  }
  return counts;
}
