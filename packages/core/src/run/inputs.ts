import type { AnswerValue, InputSpec, Pipeline } from '../pipeline/model';
import { parseAnswerText, validateAnswer } from './answers';

/** The open prompt key of a pipeline input. */
export function inputPromptKey(inputId: string): string {
  return `inputs.${inputId}`;
}

/** The open prompt key (and recorded-answer key) of a stage prompt. */
export function stagePromptKey(stage: string, promptId: string): string {
  return `${stage}/${promptId}`;
}

/** Input values checked against a pipeline: the typed values and every problem found. */
export interface CheckedInputs {
  readonly inputs: Readonly<Record<string, AnswerValue>>;
  /** One plain-words message per problem, naming the input. */
  readonly errors: readonly string[];
}

/**
 * Checks input values given up front (`--input id=value`, or typed values from
 * a client) against the pipeline's declared inputs. A string given for a
 * non-text input is parsed with `parseAnswerText`, so `--input count=3` works.
 * Reports every unknown id and every bad value at once.
 */
export function checkInputs(
  pipeline: Pipeline,
  given: Readonly<Record<string, AnswerValue>>,
): CheckedInputs {
  const inputs: Record<string, AnswerValue> = {};
  const errors: string[] = [];
  const declared = pipeline.inputs.map((i) => i.id);
  for (const [id, raw] of Object.entries(given)) {
    const spec = pipeline.inputs.find((i) => i.id === id);
    if (spec === undefined) {
      const known =
        declared.length > 0 ? `declared inputs: ${declared.join(', ')}` : 'it declares none';
      errors.push(`unknown input '${id}': pipeline '${pipeline.id}' has no such input (${known})`);
      continue;
    }
    const checked = coerceInput(spec, raw);
    if (typeof checked === 'string') errors.push(checked);
    else inputs[id] = checked.value;
  }
  return { inputs, errors };
}

function coerceInput(spec: InputSpec, raw: AnswerValue): { value: AnswerValue } | string {
  let value = raw;
  // Stryker disable next-line ConditionalExpression: parseAnswerText gives a text input's string back unchanged, so parsing it too changes nothing.
  if (typeof raw === 'string' && spec.type !== 'text') {
    const parsed = parseAnswerText(spec, raw);
    if (!parsed.ok) return `input '${spec.id}': ${parsed.error}`;
    value = parsed.value;
  }
  const problem = validateAnswer(spec, value);
  return problem === undefined ? { value } : `input '${spec.id}': ${problem}`;
}

/** Thrown by `createRun` when the given input values do not fit the pipeline. */
export class InvalidInputsError extends Error {
  /** Every problem, one plain-words message each. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid inputs:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidInputsError';
    this.problems = problems;
  }
}
