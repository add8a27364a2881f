import type { AnswerValue } from '../pipeline/model';
import type { RunState } from './state';

/**
 * The inputs of a run whose value differs from the pipeline's default, in
 * declaration order, secret ones left out; undefined when none does. They
 * tell two runs of one pipeline apart in a label (`pillars=ALL`).
 */
export function changedInputsOf(
  state: Pick<RunState, 'pipeline' | 'inputs'>,
): Readonly<Record<string, AnswerValue>> | undefined {
  const changed: Record<string, AnswerValue> = {};
  for (const spec of state.pipeline.inputs) {
    const value = state.inputs[spec.id];
    if (spec.secret === true || value === undefined) continue;
    if (JSON.stringify(value) !== JSON.stringify(spec.default)) changed[spec.id] = value;
  }
  return Object.keys(changed).length > 0 ? changed : undefined;
}
