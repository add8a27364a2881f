import type { Pipeline } from '../pipeline/model';
import { pipelineIndex } from '../run/pipelineIndex';
import type { NamedUnit } from './unitNames';
import { parseUnitName } from './unitNames';

/**
 * Which stages a run covers and which ignore the record, as `baton run
 * <file> [stage…] [--from <stage>] [--force [stage]]` and `baton/startRun`
 * say it.
 */
export interface RunSelection {
  /** Run these stages and what they need; every stage when absent or empty. */
  readonly stages?: readonly string[];
  /** Run this stage and everything downstream of it (and what they need), ignoring the record for them. */
  readonly from?: string;
  /** Ignore the record: `true` for every stage, or for the stages named. */
  readonly force?: boolean | readonly string[];
}

/** A selection resolved against a pipeline. */
export interface ResolvedSelection {
  /** The stages the run covers, in declaration order. */
  readonly selected: readonly string[];
  /** The stages (and units) that run even when up to date (`RunState.forced`), or undefined for none. */
  readonly forced?: 'all' | readonly string[];
  /**
   * Units named as run targets (`papers[a.pdf]`): of their stages only these
   * run, the other items are not selected (`RunState.selectedUnits`).
   */
  readonly units?: readonly string[];
  /** Stage names the pipeline does not declare, in plain words; the selection is unusable when any. */
  readonly errors: readonly string[];
}

/** `start` and every stage that depends on it, directly or not. */
function downstreamOf(pipeline: Pipeline, start: string): Set<string> {
  const { dependants } = pipelineIndex(pipeline);
  const found = new Set([start]);
  const queue = [start];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const next of dependants.get(id) ?? []) {
      if (!found.has(next)) {
        found.add(next);
        queue.push(next);
      }
    }
  }
  return found;
}

/** `targets` and every stage they need, directly or not. */
function upstreamOf(pipeline: Pipeline, targets: Iterable<string>): Set<string> {
  const { specs } = pipelineIndex(pipeline);
  const found = new Set(targets);
  const queue = [...found];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const need of specs.get(id)?.needs ?? []) {
      if (!found.has(need)) {
        found.add(need);
        queue.push(need);
      }
    }
  }
  return found;
}

/** A selection with its unit names (`stage[item]`) resolved to their stages. */
interface UnitsResolved {
  readonly stages: readonly string[];
  readonly from?: string;
  readonly force?: boolean | readonly string[];
  /** Units named as targets, as `--force` units, and the `--from` unit. */
  readonly targetUnits: readonly NamedUnit[];
  readonly forcedUnits: readonly NamedUnit[];
  readonly fromUnit?: NamedUnit;
  readonly errors: readonly string[];
}

/**
 * Replaces each unit name by its stage, keeping the units apart: a unit
 * target selects its stage, a forced unit forces only itself, and `--from`
 * a unit runs its stage (every item; only that one forced) and everything
 * downstream of it.
 */
function resolveUnitNames(pipeline: Pipeline, selection: RunSelection): UnitsResolved {
  const errors: string[] = [];
  const split = (names: readonly string[]): { stages: string[]; units: NamedUnit[] } => {
    const stages: string[] = [];
    const units: NamedUnit[] = [];
    for (const name of names) {
      const parsed = parseUnitName(pipeline, name);
      if (typeof parsed === 'string') errors.push(parsed);
      else if (parsed === undefined) stages.push(name);
      else units.push(parsed);
    }
    return { stages, units };
  };
  const targets = split(selection.stages ?? []);
  const force = Array.isArray(selection.force) ? split(selection.force) : undefined;
  const from = selection.from === undefined ? undefined : split([selection.from]);
  const fromUnit = from?.units[0];
  const fromStage = fromUnit?.stage ?? from?.stages[0];
  return {
    stages: [...targets.stages, ...targets.units.map((u) => u.stage)],
    ...(fromStage === undefined ? {} : { from: fromStage }),
    ...(selection.force === undefined
      ? {}
      : { force: force === undefined ? selection.force : force.stages }),
    // A stage named whole runs every item, whatever units of it are named too.
    targetUnits: targets.units.filter((u) => !targets.stages.includes(u.stage)),
    forcedUnits: [...(force?.units ?? []), ...(fromUnit === undefined ? [] : [fromUnit])],
    ...(fromUnit === undefined ? {} : { fromUnit }),
    errors,
  };
}

/**
 * Resolves a selection: the named stages plus, with `from`, that stage and
 * everything downstream of it, closed over what they need; forced are the
 * `force` stages (or all) plus the `from` stage and its downstream. A unit
 * (`stage[item]`) selects its stage with only that item, or forces only
 * that item (see `resolveUnitNames`).
 */
export function resolveSelection(pipeline: Pipeline, selection: RunSelection): ResolvedSelection {
  const { specs } = pipelineIndex(pipeline);
  const units = resolveUnitNames(pipeline, selection);
  if (units.errors.length > 0) return { selected: [], errors: units.errors };
  const named = [
    ...units.stages,
    ...(units.from === undefined ? [] : [units.from]),
    ...(Array.isArray(units.force) ? units.force : []),
  ];
  const unknown = [...new Set(named.filter((id) => !specs.has(id)))];
  const errors = unknown.map(
    (id) => `no stage '${id}' in ${pipeline.file}; its stages are ${[...specs.keys()].join(', ')}`,
  );
  if (errors.length > 0) return { selected: [], errors };
  const fromStages =
    units.from === undefined ? new Set<string>() : downstreamOf(pipeline, units.from);
  // From a unit: its stage runs every item, but only that item ignores the record.
  if (units.fromUnit !== undefined) fromStages.delete(units.fromUnit.stage);
  const targets = [
    ...units.stages,
    ...fromStages,
    ...(units.fromUnit === undefined ? [] : [units.fromUnit.stage]),
  ];
  const all = pipeline.stages.map((s) => s.id);
  const closure = targets.length === 0 ? undefined : upstreamOf(pipeline, targets);
  const selected = closure === undefined ? all : all.filter((id) => closure.has(id));
  const forceList = Array.isArray(units.force) ? units.force : [];
  const forcedSet = new Set([...forceList, ...fromStages]);
  const forcedUnits = [...new Set(units.forcedUnits.map((u) => u.unit))];
  const forced =
    units.force === true
      ? ('all' as const)
      : forcedSet.size + forcedUnits.length > 0
        ? [...all.filter((id) => forcedSet.has(id)), ...forcedUnits]
        : undefined;
  const chosen = [...new Set(units.targetUnits.map((u) => u.unit))];
  return {
    selected,
    errors,
    ...(forced === undefined ? {} : { forced }),
    ...(chosen.length === 0 ? {} : { units: chosen }),
  };
}
