/**
 * What earlier runs of a pipeline left in the run store, for the editor:
 * each stage's last run (hover) and the output names stages wrote
 * (completion of `${{ stages.<id>.outputs.… }}`).
 */
import * as path from 'node:path';
import type { RunState, RunStatus, StageStatus } from '@baton/core';
import type { RunFiles } from '../engine/runFiles';

/** How many recent runs of a pipeline are read. */
const RECENT_RUNS = 20;

/** One stage in the newest run that started it. */
export interface StageRunSummary {
  readonly runId: string;
  readonly runStatus: RunStatus;
  readonly status: StageStatus;
  readonly attempt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
}

/** What the language features ask of past runs. */
export interface PipelineHistory {
  /** Each stage's newest run that started it, by stage id. */
  lastStageRuns(pipelineId: string, file: string): Promise<ReadonlyMap<string, StageRunSummary>>;
  /** The output names each stage wrote in recent runs, by stage id. */
  outputNames(pipelineId: string, file: string): Promise<ReadonlyMap<string, readonly string[]>>;
}

/** The history read from the run store (read only, newest run first). */
export function runStoreHistory(files: RunFiles): PipelineHistory {
  const recentRuns = async (pipelineId: string, file: string): Promise<RunState[]> => {
    const listings = await files.listRuns({ pipelineId, limit: RECENT_RUNS });
    // Two folders may hold pipelines with the same id; a run knows its file.
    return listings.flatMap((listing) =>
      'state' in listing && path.resolve(listing.state.pipeline.file) === path.resolve(file)
        ? [listing.state]
        : [],
    );
  };
  return {
    async lastStageRuns(pipelineId, file) {
      const found = new Map<string, StageRunSummary>();
      for (const state of await recentRuns(pipelineId, file)) {
        for (const stage of Object.values(state.stages)) {
          if (found.has(stage.id) || stage.startedAt === undefined) continue;
          found.set(stage.id, summaryOf(state, stage.id));
        }
      }
      return found;
    },
    async outputNames(pipelineId, file) {
      const names = new Map<string, Set<string>>();
      for (const state of await recentRuns(pipelineId, file)) {
        for (const stage of Object.values(state.stages)) {
          const set = names.get(stage.id) ?? new Set<string>();
          for (const name of Object.keys(stage.outputs)) set.add(name);
          names.set(stage.id, set);
        }
      }
      return new Map([...names].map(([stage, set]) => [stage, [...set].sort()]));
    },
  };
}

function summaryOf(state: RunState, stageId: string): StageRunSummary {
  const stage = state.stages[stageId];
  return {
    runId: state.runId,
    runStatus: state.status,
    status: stage?.status ?? 'pending',
    attempt: stage?.attempt ?? 0,
    ...(stage?.startedAt === undefined ? {} : { startedAt: stage.startedAt }),
    ...(stage?.endedAt === undefined ? {} : { endedAt: stage.endedAt }),
  };
}
