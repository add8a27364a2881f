/**
 * A run's line in the history: the few fields a listing shows (name, number,
 * status, times, stage counts), kept in `runs/<runId>/history.json` so a page
 * of runs costs a small file per run instead of each run's whole `run.json`.
 * It is derived data: `run.json` stays the truth, and a missing or damaged
 * entry is rebuilt from it.
 */
import type { AnswerValue, RunState, RunStatus, StageStatus } from '@baton/core';
import { changedInputsOf, isStoppedRunStatus, stageStatusCounts } from '@baton/core';
import { isCount, isRecord, RUN_STATUSES, STAGE_STATUSES } from './runStateShape';

/** The entry format's version; an entry of another version is rebuilt. */
export const HISTORY_ENTRY_VERSION = 1;

/** What the history knows of one run. */
export interface HistoryEntry {
  readonly version: typeof HISTORY_ENTRY_VERSION;
  readonly runId: string;
  readonly pipelineId: string;
  readonly pipelineName: string;
  /** Absolute path of the pipeline file. */
  readonly file: string;
  readonly number?: number;
  readonly changedInputs?: Readonly<Record<string, AnswerValue>>;
  readonly status: RunStatus;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly resumedAt?: number;
  readonly resumes?: number;
  readonly earlierRanMs?: number;
  readonly reason?: string;
  /** Stages per status (statuses with no stage left out). */
  readonly stageCounts: Readonly<Partial<Record<StageStatus, number>>>;
  readonly openPrompts: number;
}

/**
 * A run's entry as its state says now. Pure; `undefined` fields are left
 * out, so two equal states give the same JSON.
 */
export function historyEntryOf(state: RunState): HistoryEntry {
  const entry: Record<string, unknown> = {
    version: HISTORY_ENTRY_VERSION,
    runId: state.runId,
    pipelineId: state.pipeline.id,
    pipelineName: state.pipeline.name,
    file: state.pipeline.file,
    number: state.number,
    changedInputs: changedInputsOf(state),
    status: state.status,
    createdAt: state.createdAt,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    resumedAt: state.resumedAt,
    resumes: state.resumes,
    earlierRanMs: state.earlierRanMs,
    reason: state.reason,
    stageCounts: { ...stageStatusCounts(state) },
    openPrompts: Object.keys(state.prompts).length,
  };
  for (const key of Object.keys(entry)) if (entry[key] === undefined) delete entry[key];
  return entry as unknown as HistoryEntry;
}

/**
 * The entry as it is written to disk. A stopped run's entry is whole and
 * final; an active run's keeps only what does not change while it runs (its
 * counts, prompts and inputs do, and readers take those from `run.json`), so
 * the owner rewrites it when the run's status changes, not at every stage.
 */
export function storedHistoryEntryOf(state: RunState): HistoryEntry {
  const entry = historyEntryOf(state);
  if (isStoppedRunStatus(entry.status)) return entry;
  const { changedInputs: _inputs, reason: _reason, ...fixed } = entry;
  return { ...fixed, stageCounts: {}, openPrompts: 0 };
}

/** Whether an entry is whole (a stopped run's) or only says where to look (an active run's). */
export function isFinalEntry(entry: HistoryEntry): boolean {
  return isStoppedRunStatus(entry.status);
}

/**
 * Why `value` is not a history entry of run `runId`, or undefined when it is.
 * A hand-edited, truncated or foreign file is refused with the first problem.
 */
export function historyEntryProblem(value: unknown, runId: string): string | undefined {
  if (!isRecord(value)) return 'it is not a JSON object';
  if (value.version !== HISTORY_ENTRY_VERSION)
    return `its "version" is ${JSON.stringify(value.version)}, expected ${HISTORY_ENTRY_VERSION}`;
  if (value.runId !== runId)
    return `its "runId" is ${JSON.stringify(value.runId)}, expected "${runId}"`;
  for (const key of ['pipelineId', 'pipelineName', 'file'] as const)
    if (typeof value[key] !== 'string') return `"${key}" is not a string`;
  if (typeof value.status !== 'string' || !RUN_STATUSES.has(value.status))
    return '"status" is not a run status';
  if (typeof value.createdAt !== 'number') return '"createdAt" is not a number';
  for (const key of ['startedAt', 'endedAt', 'resumedAt', 'earlierRanMs'] as const)
    if (value[key] !== undefined && typeof value[key] !== 'number')
      return `"${key}" is not a number`;
  for (const key of ['number', 'resumes', 'openPrompts'] as const)
    if (value[key] !== undefined && !isCount(value[key])) return `"${key}" is not a count`;
  if (value.reason !== undefined && typeof value.reason !== 'string')
    return '"reason" is not a string';
  if (value.changedInputs !== undefined && !isRecord(value.changedInputs))
    return '"changedInputs" is not an object';
  return countsProblem(value.stageCounts);
}

function countsProblem(counts: unknown): string | undefined {
  if (!isRecord(counts)) return '"stageCounts" is not an object';
  for (const [status, count] of Object.entries(counts)) {
    if (!STAGE_STATUSES.has(status)) return `"stageCounts" has an unknown status "${status}"`;
    if (!isCount(count)) return `"stageCounts.${status}" is not a count`;
  }
  return undefined;
}
