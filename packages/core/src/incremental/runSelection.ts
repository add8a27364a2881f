import type { Pipeline } from '../pipeline/model';
import { pipelineIndex } from '../run/pipelineIndex';

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
  /** The stages that run even when up to date (`RunState.forced`), or undefined for none. */
  readonly forced?: 'all' | readonly string[];
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

/**
 * Resolves a selection: the named stages plus, with `from`, that stage and
 * everything downstream of it, closed over what they need; forced are the
 * `force` stages (or all) plus the `from` stage and its downstream.
 */
export function resolveSelection(pipeline: Pipeline, selection: RunSelection): ResolvedSelection {
  const { specs } = pipelineIndex(pipeline);
  const named = [
    ...(selection.stages ?? []),
    ...(selection.from === undefined ? [] : [selection.from]),
    ...(Array.isArray(selection.force) ? selection.force : []),
  ];
  const unknown = [...new Set(named.filter((id) => !specs.has(id)))];
  const errors = unknown.map(
    (id) => `no stage '${id}' in ${pipeline.file}; its stages are ${[...specs.keys()].join(', ')}`,
  );
  if (errors.length > 0) return { selected: [], errors };
  const fromStages =
    selection.from === undefined ? new Set<string>() : downstreamOf(pipeline, selection.from);
  const targets = [...(selection.stages ?? []), ...fromStages];
  const all = pipeline.stages.map((s) => s.id);
  const closure = targets.length === 0 ? undefined : upstreamOf(pipeline, targets);
  const selected = closure === undefined ? all : all.filter((id) => closure.has(id));
  const forceList = Array.isArray(selection.force) ? selection.force : [];
  const forcedSet = new Set([...forceList, ...fromStages]);
  const forced =
    selection.force === true
      ? ('all' as const)
      : forcedSet.size > 0
        ? all.filter((id) => forcedSet.has(id))
        : undefined;
  return forced === undefined ? { selected, errors } : { selected, forced, errors };
}
