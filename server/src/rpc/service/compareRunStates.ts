/**
 * Two runs of one pipeline side by side, for `baton/compareRuns`: pure, over
 * two (masked) run states. Stages and inputs of either run are listed, in the
 * newer run's pipeline order, then any the older run alone had.
 */
import type * as Core from '@baton/core';
import { snapshot } from '@baton/core';
import type * as P from '@baton/protocol';
import { defined } from '../defined';
import { toRunSummary } from './wire';

/** Compares `run` with `base` (the earlier run); `base` absent: the run alone. */
export function compareRunStates(
  run: Core.RunState,
  base: Core.RunState | undefined,
  isLocal: (runId: string) => boolean,
): P.RunComparison {
  return defined<P.RunComparison>({
    run: toRunSummary(run, isLocal(run.runId)),
    base: base === undefined ? undefined : toRunSummary(base, isLocal(base.runId)),
    inputs: compareInputs(run, base),
    stages: compareStages(run, base),
  });
}

function compareInputs(run: Core.RunState, base: Core.RunState | undefined): P.InputComparison[] {
  // The snapshot's inputs have secret values replaced, so a secret never leaves the server.
  const runInputs = snapshot(run, 0).inputs;
  const baseInputs = base === undefined ? {} : snapshot(base, 0).inputs;
  const names = union(
    run.pipeline.inputs.map((spec) => spec.id),
    Object.keys(runInputs),
    base?.pipeline.inputs.map((spec) => spec.id) ?? [],
    Object.keys(baseInputs),
  );
  return names.map((input) => {
    const now = runInputs[input];
    const before = baseInputs[input];
    return defined<P.InputComparison>({
      input,
      run: now,
      base: before,
      changed: base !== undefined && JSON.stringify(now) !== JSON.stringify(before),
    });
  });
}

function compareStages(run: Core.RunState, base: Core.RunState | undefined): P.StageComparison[] {
  const ids = union(
    run.pipeline.stages.map((spec) => spec.id),
    base?.pipeline.stages.map((spec) => spec.id) ?? [],
  );
  return ids.map((stage) => {
    const now = comparedStage(run.stages[stage]);
    const before = base === undefined ? undefined : comparedStage(base.stages[stage]);
    const deltaMs =
      now?.durationMs !== undefined && before?.durationMs !== undefined
        ? now.durationMs - before.durationMs
        : undefined;
    return defined<P.StageComparison>({
      stage,
      run: now,
      base: before,
      deltaMs,
      changed: base !== undefined && stageChanged(now, before),
    });
  });
}

function comparedStage(stage: Core.StageState | undefined): P.ComparedStage | undefined {
  if (stage === undefined) return undefined;
  const upToDate = stage.upToDate !== undefined;
  const ran =
    !upToDate && stage.startedAt !== undefined && stage.endedAt !== undefined
      ? Math.max(0, stage.endedAt - stage.startedAt)
      : undefined;
  return defined<P.ComparedStage>({
    status: stage.status,
    durationMs: ran,
    attempts: stage.attempt,
    upToDate,
    outputs: stage.outputs,
  });
}

function stageChanged(now: P.ComparedStage | undefined, before: P.ComparedStage | undefined) {
  if (now === undefined || before === undefined) return now !== before;
  return (
    now.status !== before.status ||
    now.upToDate !== before.upToDate ||
    JSON.stringify(sortedEntries(now.outputs)) !== JSON.stringify(sortedEntries(before.outputs))
  );
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The names of all lists, each once, in first-seen order. */
function union(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}
