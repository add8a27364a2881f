import type * as Core from '@baton/core';
import type { RunListing } from '../../store/runStore';

/** How many past successful attempts of a stage its expected duration is the median of. */
export const EXPECTED_SAMPLES = 5;

/** Reads the runs of one pipeline on disk, newest first. */
export type ListPipelineRuns = (pipelineId: string) => Promise<RunListing[]>;

/**
 * How long each stage usually takes (`StageSnapshot.expectedMs`): the median
 * of its last `EXPECTED_SAMPLES` successful attempts, from the run history on
 * disk. A pipeline's history is read once, in the background, the first time
 * one of its stages is asked about (until then the answer is unknown); every
 * run that ends afterwards adds its own stages. Stages that were up to date
 * did not run and count for nothing, nor do failed attempts.
 */
export class ExpectedDurations {
  /** Per pipeline, per stage: durations of successful attempts, newest first. */
  private readonly samples = new Map<string, Map<string, number[]>>();
  private readonly loading = new Map<string, Promise<void>>();
  /** Runs already counted, so a run is never counted twice (history and `record`). */
  private readonly counted = new Set<string>();

  constructor(private readonly listRuns: ListPipelineRuns) {}

  /** The stage's expected duration in ms, or undefined while unknown (and starts reading the history). */
  expectedMs(pipelineId: string, stageId: string): number | undefined {
    if (!this.loading.has(pipelineId)) void this.load(pipelineId);
    const durations = this.samples.get(pipelineId)?.get(stageId);
    return durations === undefined || durations.length === 0 ? undefined : median(durations);
  }

  /** Reads a pipeline's history once; later calls wait for the same read. */
  load(pipelineId: string): Promise<void> {
    let loading = this.loading.get(pipelineId);
    if (loading === undefined) {
      loading = this.readHistory(pipelineId).catch(() => undefined);
      this.loading.set(pipelineId, loading);
    }
    return loading;
  }

  /** Counts the stages of a run that has stopped, newest first, once. */
  record(state: Core.RunState): void {
    if (!isStopped(state.status) || this.counted.has(state.runId)) return;
    this.counted.add(state.runId);
    for (const [stageId, ms] of successfulDurations(state)) {
      const list = this.stageSamples(state.pipeline.id, stageId);
      list.unshift(ms);
      list.length = Math.min(list.length, EXPECTED_SAMPLES);
    }
  }

  private async readHistory(pipelineId: string): Promise<void> {
    const listings = await this.listRuns(pipelineId);
    // Newest first: each stage keeps its first EXPECTED_SAMPLES successes.
    for (const listing of listings) {
      if (!('state' in listing)) continue;
      const { state } = listing;
      if (!isStopped(state.status) || this.counted.has(state.runId)) continue;
      this.counted.add(state.runId);
      for (const [stageId, ms] of successfulDurations(state)) {
        const list = this.stageSamples(pipelineId, stageId);
        if (list.length < EXPECTED_SAMPLES) list.push(ms);
      }
    }
  }

  private stageSamples(pipelineId: string, stageId: string): number[] {
    let stages = this.samples.get(pipelineId);
    if (stages === undefined) {
      stages = new Map();
      this.samples.set(pipelineId, stages);
    }
    let list = stages.get(stageId);
    if (list === undefined) {
      list = [];
      stages.set(stageId, list);
    }
    return list;
  }
}

function isStopped(status: Core.RunStatus): boolean {
  return status !== 'queued' && status !== 'running' && status !== 'waiting';
}

/** The stages of a run that succeeded by running (not up to date), with how long their last attempt took. */
function successfulDurations(state: Core.RunState): [string, number][] {
  const found: [string, number][] = [];
  for (const stage of Object.values(state.stages)) {
    if (stage.status !== 'succeeded' || stage.upToDate !== undefined) continue;
    if (stage.startedAt === undefined || stage.endedAt === undefined) continue;
    const ms = stage.endedAt - stage.startedAt;
    if (ms >= 0) found.push([stage.id, ms]);
  }
  return found;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]!
    : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}
