import type { ConditionNode } from '../pipeline/conditionSyntax';
import { parseCondition } from '../pipeline/conditionSyntax';
import type { ConditionScope, ConditionValue, StatusFunction } from '../pipeline/conditionValue';
import { callsStatusFunction, evaluateCondition, isTruthy } from '../pipeline/conditionValue';
import { ancestorsOf, needsGraph } from '../pipeline/graph';
import type { Pipeline, StageSpec } from '../pipeline/model';
import type { Draft } from './draft';
import { specOf, stageOf } from './draft';
import { isFinalStageStatus } from './machines';

/** A stage's parsed `if:`, with the facts scheduling needs about it. */
interface StageCondition {
  readonly node: ConditionNode;
  /** It calls a status function, so it is judged once every need is final, whatever they did. */
  readonly statusAware: boolean;
  /** It may hold in a cancelled run (it calls `always()` or `cancelled()`), so cancel keeps it pending. */
  readonly runsOnCancel: boolean;
}

// Conditions parsed once per declaration; validation already rejected bad ones.
const conditions = new WeakMap<StageSpec, StageCondition | null>();

function callsAny(node: ConditionNode, names: readonly string[]): boolean {
  switch (node.kind) {
    case 'call':
      return names.includes(node.name) || node.args.some((arg) => callsAny(arg, names));
    case 'not':
      return callsAny(node.operand, names);
    case 'binary':
      return callsAny(node.left, names) || callsAny(node.right, names);
    default:
      return false;
  }
}

/** The stage's parsed condition, or undefined when it has none (or, defensively, a bad one). */
export function conditionOf(spec: StageSpec): StageCondition | undefined {
  let known = conditions.get(spec);
  if (known === undefined) {
    const parsed = spec.if === undefined ? undefined : parseCondition(spec.if);
    known =
      parsed?.ok === true
        ? {
            node: parsed.node,
            statusAware: callsStatusFunction(parsed.node),
            runsOnCancel: callsAny(parsed.node, ['always', 'cancelled']),
          }
        : null;
    conditions.set(spec, known);
  }
  return known ?? undefined;
}

// The transitive needs of each stage, found once per pipeline and stage.
const ancestorLists = new WeakMap<
  Pipeline,
  { graph: ReturnType<typeof needsGraph>; byStage: Map<string, readonly string[]> }
>();

function ancestorsIn(pipeline: Pipeline, id: string): readonly string[] {
  let known = ancestorLists.get(pipeline);
  if (known === undefined) {
    known = { graph: needsGraph(pipeline), byStage: new Map() };
    ancestorLists.set(pipeline, known);
  }
  let list = known.byStage.get(id);
  if (list === undefined) {
    list = [...ancestorsOf(known.graph, id)];
    known.byStage.set(id, list);
  }
  return list;
}

/** The status functions' values for a stage, over every stage it needs directly or not. */
function statusOf(draft: Draft, id: string, name: StatusFunction): boolean {
  if (name === 'always') return true;
  if (name === 'cancelled') return draft.run.cancelRequested === true;
  const failed = ancestorsIn(draft.run.pipeline, id).some((ancestor) => {
    const status = stageOf(draft, ancestor).status;
    if (status === 'failed') return !specOf(draft, ancestor).continueOnError;
    return status === 'cancelled';
  });
  if (name === 'failure') return failed && draft.run.cancelRequested !== true;
  return !failed && draft.run.cancelRequested !== true;
}

function scopeOf(draft: Draft, id: string): ConditionScope {
  return {
    lookup(path): ConditionValue | undefined {
      const [root, first, second, third] = path;
      const unit = specOf(draft, id).unit;
      if (root === 'item' && path.length === 1) return unit?.item;
      if (root === 'matrix' && first !== undefined) {
        const matrix = unit?.matrix;
        return matrix !== undefined && Object.hasOwn(matrix, first) ? matrix[first] : undefined;
      }
      if (root === 'inputs' && first !== undefined && Object.hasOwn(draft.inputs, first)) {
        return draft.inputs[first];
      }
      if (root === 'stages' && second === 'outputs' && first !== undefined && third !== undefined) {
        const outputs = draft.stages[first]?.outputs;
        return outputs !== undefined && Object.hasOwn(outputs, third) ? outputs[third] : undefined;
      }
      return undefined;
    },
    status: (name) => statusOf(draft, id, name),
  };
}

/** The reason a stage is skipped because its condition is false. */
function skipReason(spec: StageSpec): string {
  return `not run: its condition is false (if: ${spec.if ?? ''})`;
}

/**
 * The verdict on a pending stage whose condition calls a status function:
 * undefined while any need is still to finish, else `'ready'` when the
 * condition holds and a skip reason when it does not.
 */
export function statusAwareVerdict(draft: Draft, id: string): string | 'ready' | undefined {
  const spec = specOf(draft, id);
  for (const need of spec.needs) {
    if (!isFinalStageStatus(stageOf(draft, need).status)) return undefined;
  }
  return conditionHolds(draft, id) ? 'ready' : skipReason(spec);
}

/** Whether the stage's condition (if any) holds now; `'ready'` or the skip reason. */
export function conditionVerdict(draft: Draft, id: string): string | 'ready' {
  return conditionHolds(draft, id) ? 'ready' : skipReason(specOf(draft, id));
}

function conditionHolds(draft: Draft, id: string): boolean {
  const condition = conditionOf(specOf(draft, id));
  if (condition === undefined) return true;
  return isTruthy(evaluateCondition(condition.node, scopeOf(draft, id)));
}
