import { substituteText } from '../pipeline/expressions';
import type { Pipeline, StageSpec } from '../pipeline/model';
import { foreachSource } from '../pipeline/validateFanOut';
import type { Draft } from './draft';
import { addStages, positionOf, specOf, stageOf, updateStage } from './draft';
import type { RunEventOf } from './events';
import type { FanItem } from './fanOutItems';
import { listItems, matrixItems, unitIds } from './fanOutItems';
import type { StageState } from './state';
import { emptyCounts } from './statusCounts';

/**
 * Fan-out: a stage with `matrix:` or `foreach:` becomes one unit per item
 * once its needs are done. The units are ordinary stages with ids
 * `<stage>[<item>]` inserted before the stage in the run's pipeline, with the
 * stage's needs; the stage itself then needs exactly its units and gathers
 * them: it succeeds when they are done, handing on each output as a JSON
 * list. The items come from the pipeline (matrix), an output recorded in the
 * event log (dynamic foreach) or a listing the shell recorded as
 * `itemsListed` (glob), so replaying the log and resuming see the same units.
 */

/** Whether a stage fans out and has not been expanded yet. */
export function awaitsFanOut(spec: StageSpec): boolean {
  return spec.gather === undefined && (spec.matrix !== undefined || spec.foreach !== undefined);
}

/** The pipeline with `items` of stage `id` as units before it, and the stage gathering them. */
function expandedPipeline(
  pipeline: Pipeline,
  template: StageSpec,
  position: number,
  ids: readonly string[],
  items: readonly FanItem[],
): Pipeline {
  const {
    matrix: _matrix,
    foreach: _foreach,
    maxParallel: _max,
    failFast: _fast,
    ...common
  } = template;
  const units: StageSpec[] = items.map((item, index) => ({
    ...common,
    id: ids[index] ?? '',
    unit: {
      stage: template.id,
      item: item.value,
      index,
      ...(item.matrix === undefined ? {} : { matrix: item.matrix }),
    },
  }));
  const { if: _if, ...rest } = template;
  const gather: StageSpec = {
    ...rest,
    needs: ids,
    deps: [],
    outputs: [],
    watch: [],
    gather: { units: ids.length },
  };
  const stages = [...pipeline.stages];
  stages.splice(position, 1, ...units, gather);
  return { ...pipeline, stages };
}

/** Turns the items of stage `id` into units, now. */
function expand(draft: Draft, id: string, items: readonly FanItem[]): void {
  const template = specOf(draft, id);
  const ids = unitIds(id, items);
  const chosen = chosenUnits(draft, id, ids);
  if (typeof chosen === 'string') {
    failFanOut(draft, id, chosen);
    return;
  }
  const states: StageState[] = ids.map((unit) => {
    const base = {
      id: unit,
      attempt: 0,
      maxAttempts: Math.max(1, template.retry.attempts),
      outputs: {},
    };
    return chosen === undefined || chosen.has(unit)
      ? { ...base, status: 'pending' }
      : { ...base, status: 'skipped', reason: 'not selected' };
  });
  const counts = emptyCounts();
  for (const state of states) counts[state.status] += 1;
  draft.run.pipeline = expandedPipeline(
    draft.run.pipeline,
    template,
    positionOf(draft, id),
    ids,
    items,
  );
  addStages(draft, states);
  updateStage(draft, id, (s) => {
    delete s.listing;
    s.items = { total: ids.length, counts };
  });
}

/**
 * The units of stage `id` the selection names (`baton run <file>
 * papers[a.pdf]`), undefined when it names none of them (every item runs),
 * or why it cannot: a named item the stage does not have.
 */
function chosenUnits(
  draft: Draft,
  id: string,
  ids: readonly string[],
): Set<string> | string | undefined {
  const named = (draft.run.selectedUnits ?? []).filter((unit) => unit.startsWith(`${id}[`));
  if (named.length === 0) return undefined;
  const known = new Set(ids);
  const missing = named.filter((unit) => !known.has(unit));
  if (missing.length === 0) return new Set(named);
  const some = ids.slice(0, 10).join(', ') + (ids.length > 10 ? `, … (${ids.length} in all)` : '');
  return `no item ${missing.map((unit) => `'${unit}'`).join(', ')} among the items of '${id}': ${ids.length === 0 ? 'it has none' : some}`;
}

function failFanOut(draft: Draft, id: string, reason: string): void {
  updateStage(draft, id, (s) => {
    delete s.listing;
    s.status = 'failed';
    s.reason = reason;
    s.endedAt = draft.at;
  });
}

/**
 * Called for a fan-out stage whose needs are done: expands a matrix or a
 * dynamic foreach at once, or asks the shell to list a glob. Returns whether
 * the pipeline changed (the caller's positions are then stale).
 */
export function beginFanOut(draft: Draft, id: string): boolean {
  const spec = specOf(draft, id);
  const stage = stageOf(draft, id);
  if (stage.listing === true) return false;
  if (spec.matrix !== undefined) {
    expand(draft, id, matrixItems(spec.matrix));
    return true;
  }
  const foreach = spec.foreach ?? '';
  const source = foreachSource(foreach);
  if (source !== undefined) {
    const text = stageOf(draft, source.stage).outputs[source.output];
    const items = listItems(text, `stages.${source.stage}.outputs.${source.output}`);
    if (typeof items === 'string') {
      failFanOut(draft, id, items);
      return false;
    }
    expand(draft, id, items);
    return true;
  }
  const pattern = substituteText(foreach, { inputs: draft.inputs, stageOutputs: {} });
  const cwd =
    spec.cwd === undefined
      ? undefined
      : substituteText(spec.cwd, { inputs: draft.inputs, stageOutputs: {} });
  const errors = [...pattern.errors, ...(cwd?.errors ?? [])];
  if (errors.length > 0) {
    failFanOut(draft, id, `foreach: ${errors.join('; ')}`);
    return false;
  }
  updateStage(draft, id, (s) => {
    s.listing = true;
  });
  draft.effects.push({
    type: 'listItems',
    stage: id,
    pattern: pattern.text,
    ...(cwd === undefined ? {} : { cwd: cwd.text }),
  });
  return false;
}

/** The shell listed a foreach glob: its files become the stage's units. */
export function onItemsListed(draft: Draft, event: RunEventOf<'itemsListed'>): string | undefined {
  const stage = draft.stages[event.stage];
  if (stage === undefined) return `no stage '${event.stage}' in this run`;
  if (stage.status !== 'pending' || stage.listing !== true) {
    return `stage '${event.stage}' is not waiting for its items (it is ${stage.status})`;
  }
  if (event.error !== undefined) {
    failFanOut(draft, event.stage, `foreach: could not list the files: ${event.error}`);
    return undefined;
  }
  expand(
    draft,
    event.stage,
    event.items.map((file) => ({ label: file, value: file })),
  );
  return undefined;
}
