import { listFanOutItems } from '../engine/run/itemListing';
import { isCacheable, isForced, transition } from '@baton/core';
import type { Effect, Pipeline, RunEvent, RunState, StageSpec } from '@baton/core';
import * as path from 'node:path';
import { FileHasher } from './fileHasher';
import type { RecordEntry } from './recordEntry';
import type { RecordStore } from './recordStore';
import { specOf } from './runIncremental';
import { checkStageAgainstRecord } from './stageCheck';
import type { StatWitness } from './statWitness';

/** What a run would do with one unit, and why. */
export interface PlannedUnit {
  readonly unit: string;
  /** `run`; `skip` (up to date); `unselected` (outside the selection). */
  readonly action: 'run' | 'skip' | 'unselected';
  readonly reason: string;
  /** The recorded success the verdict compared with, when there is one. */
  readonly compared?: { readonly runId: string; readonly at: number };
}

/** The plan of a run that has not started: one step per stage, in declaration order. */
export interface RunPlan {
  readonly pipeline: string;
  readonly file: string;
  readonly units: readonly PlannedUnit[];
  /** Damaged record entries met (each counted as a miss). */
  readonly warnings: readonly string[];
}

/** Why a stage that the record cannot skip runs anyway. */
function alwaysRunsReason(pipeline: Pipeline, stage: string): string {
  const spec = specOf(pipeline, stage);
  if (isCacheable(spec)) return 'runs';
  return spec.cache ? 'always runs: it declares no deps or outputs' : 'always runs: cache: false';
}

/**
 * What a plan takes to have happened after an effect: a stage that asks
 * for pool slots has them, a stage that starts succeeds.
 */
function simulatedOutcome(effect: Effect, at: number): RunEvent[] {
  if (effect.type === 'acquireSlots') {
    return [{ type: 'slotsAcquired', stage: effect.stage, attempt: effect.attempt, at }];
  }
  if (effect.type !== 'spawnStage') return [];
  const { stage, attempt } = effect;
  return [
    { type: 'stageStarted', stage, attempt, at },
    { type: 'stageExited', stage, attempt, exitCode: 0, random: 0, at },
  ];
}

/**
 * Plans a run without running anything, through the core itself: the fresh
 * run state is driven by `transition`, each `checkStage` is carried out
 * against the record as a real run would, and each `spawnStage` is taken as
 * a success whose outputs are not known yet, so a stage after one that runs
 * is planned to run ("after translate runs"): whether it is then skipped
 * depends on what that stage hands on (early cut-off). With `witness`, the
 * stat of every file and folder the plan depends on is noted, before it is read.
 */
export async function planRun(
  state: RunState,
  record: RecordStore,
  witness?: StatWitness,
): Promise<RunPlan> {
  const { pipeline } = state;
  const pipelineDir = path.dirname(path.resolve(pipeline.file));
  const recordDir = record.pipelineDir(pipeline.id, pipeline.file);
  const hasher = new FileHasher(record.statCacheFile(recordDir), witness);
  const snapshot = record.snapshotOf(recordDir);
  witness?.look(record.keyFile());
  const key = await record.hashKey();
  const warnings: string[] = [];
  const compared = new Map<string, RecordEntry>();
  let current = state;
  const queue: RunEvent[] = [{ type: 'runStarted', at: state.createdAt }];
  const apply = async (effect: Effect): Promise<void> => {
    if (effect.type === 'listItems') {
      witness?.refuse(`stage ${effect.stage} fans out over items listed at run time`);
      queue.push(await listFanOutItems(effect, pipeline.file, () => state.createdAt));
    } else if (effect.type === 'checkStage') {
      const spec = specOf(current.pipeline, effect.stage);
      const outcome = await checkStageAgainstRecord(
        effect,
        { spec, pipelineDir, hasher, key },
        { store: record, dir: recordDir, snapshot, ...(witness ? { witness } : {}) },
      );
      warnings.push(...outcome.warnings);
      if (outcome.compared !== undefined) compared.set(effect.stage, outcome.compared);
      const { decision, reuse } = outcome;
      queue.push({
        type: 'stageChecked',
        stage: effect.stage,
        fingerprint: outcome.fingerprint.fingerprint,
        action: decision.action,
        reason: decision.reason,
        ...(reuse === undefined ? {} : { reuse }),
        at: state.createdAt,
      });
    } else {
      queue.push(...simulatedOutcome(effect, state.createdAt));
    }
  };
  for (let event = queue.shift(); event !== undefined; event = queue.shift()) {
    const result = transition(current, event);
    if (result.rejected !== undefined) continue;
    current = result.state;
    if (event.type === 'runStarted' && current.status === 'failed') {
      // Only inputs nobody can give fail a run as it starts.
      throw new Error(`the run could not start: ${current.reason ?? 'no reason recorded'}`);
    }
    for (const effect of result.effects) await apply(effect);
  }
  await Promise.all([hasher.save(), snapshot.save()]);
  // Units of fanned-out stages exist only in the run's expanded pipeline.
  const units = current.pipeline.stages.map((s) => plannedUnit(s, current, compared.get(s.id)));
  return { pipeline: pipeline.name, file: pipeline.file, units, warnings };
}

/**
 * The step of a fanned-out stage, which runs no process of its own: it
 * gathers its items, whose own steps say what each does.
 */
function gatheringUnit(spec: StageSpec, current: RunState): PlannedUnit {
  let upToDate = 0;
  let unselected = 0;
  for (const id of spec.needs) {
    const unit = current.stages[id];
    if (unit?.upToDate !== undefined) upToDate += 1;
    else if (unit?.status === 'skipped' && unit.reason === 'not selected') unselected += 1;
  }
  const runs = spec.needs.length - upToDate - unselected;
  const parts = [`${runs} to run`, `${upToDate} up to date`];
  if (unselected > 0) parts.push(`${unselected} not selected`);
  return {
    unit: spec.id,
    action: runs > 0 ? 'run' : 'skip',
    reason: `gathers its ${spec.needs.length} items (${parts.join(', ')})`,
  };
}

/** One stage's step in the plan, from the state the simulated run ended in. */
function plannedUnit(
  spec: StageSpec,
  current: RunState,
  entry: RecordEntry | undefined,
): PlannedUnit {
  const { pipeline } = current;
  const stage = current.stages[spec.id];
  const base = entry === undefined ? {} : { compared: { runId: entry.runId, at: entry.at } };
  if (stage?.status === 'skipped' && stage.reason === 'not selected') {
    return { unit: spec.id, action: 'unselected', reason: 'not selected' };
  }
  if (stage?.upToDate !== undefined) {
    return { unit: spec.id, action: 'skip', reason: stage.plan ?? 'up to date', ...base };
  }
  if (spec.gather !== undefined) return gatheringUnit(spec, current);
  // A need that was not skipped as up to date runs first, so this stage's fingerprint waits for it.
  const after = spec.needs.find((need) => current.stages[need]?.upToDate === undefined);
  if (isCacheable(spec) && isForced(current, spec.id)) {
    return { unit: spec.id, action: 'run', reason: 'forced: the record is ignored', ...base };
  }
  if (stage?.fingerprint === undefined && after !== undefined && isCacheable(spec)) {
    return {
      unit: spec.id,
      action: 'run',
      reason: `runs after ${after}: skipped then if the outputs of ${after} come out unchanged`,
      ...base,
    };
  }
  return {
    unit: spec.id,
    action: 'run',
    reason: stage?.plan ?? alwaysRunsReason(pipeline, spec.id),
    ...base,
  };
}
