/**
 * What a run is called, for every client (editor, CLI, progress titles): one
 * definition, so a run has the same name everywhere.
 */
import type { RunSummary } from './runSummary';

/**
 * A run's short name: its pipeline's name and its number among the
 * pipeline's runs, `Literature review #14`. A run made before numbers existed
 * is told apart by the last four characters of its id (`Literature review ·a1b2`).
 */
export function runName(run: Pick<RunSummary, 'pipelineName' | 'number' | 'runId'>): string {
  if (run.number !== undefined) return `${run.pipelineName} #${run.number}`;
  return `${run.pipelineName} ·${run.runId.slice(-4)}`;
}
