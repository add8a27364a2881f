/**
 * A structural check of `run.json` before it is trusted as a `RunState`: a
 * hand-edited, truncated or foreign file is refused with the first problem
 * found, not half-used.
 */
import type { RunState } from '@baton/core';

/** Every run status a stored file may hold. */
export const RUN_STATUSES: ReadonlySet<string> = new Set([
  'queued',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'cancelled',
  'interrupted',
]);

/** Every stage status a stored file may hold. */
export const STAGE_STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'ready',
  'waitingForPool',
  'running',
  'waiting',
  'retrying',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);

/** Whether `value` is a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is a non-negative safe integer. */
export function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function stageProblem(id: string, stage: unknown): string | undefined {
  if (!isRecord(stage)) return `stages.${id} is not an object`;
  if (stage.id !== id) return `stages.${id}.id does not match its key`;
  if (typeof stage.status !== 'string' || !STAGE_STATUSES.has(stage.status)) {
    return `stages.${id}.status is not a stage status`;
  }
  if (!isCount(stage.attempt) || !isCount(stage.maxAttempts)) {
    return `stages.${id}.attempt/maxAttempts are not counts`;
  }
  return isRecord(stage.outputs) ? undefined : `stages.${id}.outputs is not an object`;
}

function topLevelProblem(value: Record<string, unknown>): string | undefined {
  if (typeof value.status !== 'string' || !RUN_STATUSES.has(value.status)) {
    return '"status" is not a run status';
  }
  if (!isCount(value.seq)) return '"seq" is not a non-negative integer';
  if (typeof value.createdAt !== 'number') return '"createdAt" is not a number';
  if (typeof value.interactive !== 'boolean') return '"interactive" is not a boolean';
  if (typeof value.concurrency !== 'number') return '"concurrency" is not a number';
  if (!isRecord(value.pipeline) || typeof value.pipeline.id !== 'string') {
    return '"pipeline" is not a pipeline';
  }
  for (const key of ['inputs', 'answers', 'stages', 'prompts'] as const) {
    if (!isRecord(value[key])) return `"${key}" is not an object`;
  }
  return undefined;
}

/**
 * The first reason `value` is not a `RunState` of run `runId`, or undefined
 * when it has the right shape.
 */
export function runStateProblem(value: unknown, runId: string): string | undefined {
  if (!isRecord(value)) return 'it is not a JSON object';
  if (value.runId !== runId)
    return `its "runId" is ${JSON.stringify(value.runId)}, expected "${runId}"`;
  const problem = topLevelProblem(value);
  if (problem !== undefined) return problem;
  for (const [id, stage] of Object.entries(value.stages as Record<string, unknown>)) {
    const stageIssue = stageProblem(id, stage);
    if (stageIssue !== undefined) return stageIssue;
  }
  return undefined;
}

/** Whether `value` is a `RunState` of run `runId` (see `runStateProblem`). */
export function isRunState(value: unknown, runId: string): value is RunState {
  return runStateProblem(value, runId) === undefined;
}
