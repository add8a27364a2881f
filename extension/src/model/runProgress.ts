import type { StageSnapshot, StageStatus } from '@baton/protocol';
import { topLevelStages } from './itemGroups';
import type { RunView } from './runView';

/** How far a run got: stages done out of all, and a percentage of the work done. */
export interface RunProgress {
  /** Stages that did their work (succeeded). A failed, cancelled or skipped (not run) stage is not done. */
  readonly done: number;
  readonly total: number;
  /** 0..100; 100 only when the run succeeded. */
  readonly percent: number;
}

/** A stage that did its work. `skipped` means it was not run (a stage it needs failed), so it is not done. */
export function isStageWorkDone(status: StageStatus): boolean {
  return status === 'succeeded';
}

/**
 * A run's progress. It counts what is done, not what has ended: a failed or
 * cancelled stage adds nothing, so a failed or stopped run never shows 100%.
 * With the stages known, a running stage's own percentage counts in
 * proportion (a fanned-out stage by its items that succeeded), and stages are weighed by how long they usually take
 * (`expectedMs`) when that is known, so a long stage at 6% does not make the
 * run look a third done. With only the summary's counts, only done stages count.
 */
export function runProgress(run: RunView): RunProgress {
  const succeeded = run.summary.status === 'succeeded';
  if (run.detailed && run.stages.length > 0) {
    // A fanned-out stage counts once, as the tree shows it; its items count as its progress.
    const stages = topLevelStages(run.stages);
    const weights = stageWeights(stages);
    let done = 0;
    let units = 0;
    let all = 0;
    stages.forEach((stage, index) => {
      const weight = weights[index] ?? 1;
      all += weight;
      if (isStageWorkDone(stage.status)) {
        done += 1;
        units += weight;
      } else if (stage.items !== undefined && stage.items.total > 0) {
        units += (weight * (stage.items.counts.succeeded ?? 0)) / stage.items.total;
      } else if (stage.progress?.percent !== undefined && stage.status !== 'failed') {
        units += (weight * Math.min(100, Math.max(0, stage.progress.percent))) / 100;
      }
    });
    return { done, total: stages.length, percent: honestPercent(units, all, succeeded) };
  }
  let done = 0;
  let total = 0;
  for (const [status, count] of Object.entries(run.summary.stageCounts) as [
    StageStatus,
    number,
  ][]) {
    total += count;
    if (isStageWorkDone(status)) done += count;
  }
  return { done, total, percent: honestPercent(done, total, succeeded) };
}

/** Each stage's weight: its expected time where every stage has one, else 1 each. */
function stageWeights(stages: readonly StageSnapshot[]): number[] {
  const expected = stages.map((stage) => stage.expectedMs);
  if (expected.some((ms) => ms === undefined || ms <= 0)) return stages.map(() => 1);
  return expected.map((ms) => ms ?? 1);
}

/** Whole percent, rounded down, and never 100 unless the run succeeded. */
function honestPercent(units: number, all: number, succeeded: boolean): number {
  if (all <= 0) return 0;
  const percent = Math.floor((units / all) * 100);
  return succeeded ? percent : Math.min(99, percent);
}
