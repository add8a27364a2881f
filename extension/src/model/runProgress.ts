import type { StageStatus } from '@baton/protocol';
import { isDoneStage } from './runStatus';
import type { RunView } from './runView';

/** How far a run got: stages done out of all, and a percentage that counts partial stage progress. */
export interface RunProgress {
  readonly done: number;
  readonly total: number;
  /** 0..100. */
  readonly percent: number;
}

/**
 * Computes a run's overall progress. With the stage details known, a running
 * stage's own percentage counts in proportion; with only the summary's stage
 * counts, only finished stages count.
 */
export function runProgress(run: RunView): RunProgress {
  if (run.detailed && run.stages.length > 0) {
    let done = 0;
    let units = 0;
    for (const stage of run.stages) {
      if (isDoneStage(stage.status)) {
        done += 1;
        units += 1;
      } else if (stage.progress?.percent !== undefined) {
        units += Math.min(100, Math.max(0, stage.progress.percent)) / 100;
      }
    }
    const total = run.stages.length;
    return { done, total, percent: Math.floor((units / total) * 100) };
  }
  const counts = run.summary.stageCounts;
  let done = 0;
  let total = 0;
  for (const [status, count] of Object.entries(counts) as [StageStatus, number][]) {
    total += count;
    if (isDoneStage(status)) done += count;
  }
  return { done, total, percent: total === 0 ? 0 : Math.floor((done / total) * 100) };
}
