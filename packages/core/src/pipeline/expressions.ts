import type { AnswerValue } from './model';

/**
 * `${{ … }}` expressions in stage commands, working directories and
 * environment values. Two forms exist: `${{ inputs.<id> }}` and
 * `${{ stages.<id>.outputs.<name> }}`.
 */

/** One `${{ … }}` found in a template; `offset`/`length` cover the whole `${{ … }}`. */
export type Reference =
  | { kind: 'input'; id: string; offset: number; length: number }
  | { kind: 'item'; offset: number; length: number }
  | { kind: 'matrix'; key: string; offset: number; length: number }
  | { kind: 'stageOutput'; stage: string; output: string; offset: number; length: number };

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const INPUT_FORM = new RegExp(`^inputs\\.(${NAME})$`);
const STAGE_OUTPUT_FORM = new RegExp(`^stages\\.(${NAME})\\.outputs\\.(${NAME})$`);
const MATRIX_FORM = new RegExp(`^matrix\\.(${NAME})$`);
const FORMS_HELP =
  'use ${{ inputs.<id> }}, ${{ stages.<stage>.outputs.<name> }}, ${{ matrix.<key> }} or ${{ item }}';

/**
 * Finds every `${{ … }}` in `template`. Whitespace inside the braces is
 * ignored. Anything that is not one of the two forms, and an unclosed
 * `${{`, is returned as an error with the offset of its `${{`.
 */
export function findReferences(template: string): {
  references: Reference[];
  errors: { offset: number; message: string }[];
} {
  const references: Reference[] = [];
  const errors: { offset: number; message: string }[] = [];
  let from = 0;
  for (;;) {
    const offset = template.indexOf('${{', from);
    if (offset < 0) break;
    const close = template.indexOf('}}', offset + 3);
    if (close < 0) {
      errors.push({ offset, message: 'this ${{ is never closed with }}' });
      break;
    }
    const length = close + 2 - offset;
    const inner = template.slice(offset + 3, close).trim();
    const reference = toReference(inner, offset, length);
    if (reference !== undefined) references.push(reference);
    else errors.push({ offset, message: explainBadExpression(inner) });
    from = close + 2;
  }
  return { references, errors };
}

function toReference(inner: string, offset: number, length: number): Reference | undefined {
  const input = INPUT_FORM.exec(inner);
  if (input?.[1] !== undefined) return { kind: 'input', id: input[1], offset, length };
  if (inner === 'item') return { kind: 'item', offset, length };
  const matrix = MATRIX_FORM.exec(inner);
  if (matrix?.[1] !== undefined) return { kind: 'matrix', key: matrix[1], offset, length };
  const output = STAGE_OUTPUT_FORM.exec(inner);
  if (output?.[1] !== undefined && output[2] !== undefined) {
    return { kind: 'stageOutput', stage: output[1], output: output[2], offset, length };
  }
  return undefined;
}

function explainBadExpression(inner: string): string {
  const shown = inner.length > 60 ? `${inner.slice(0, 57)}...` : inner;
  if (inner === '') return `the expression \${{ }} is empty; ${FORMS_HELP}`;
  if (/^input\./.test(inner)) return `unknown expression "${shown}": write "inputs." (plural)`;
  if (/^stages?\.[^.]+\.output\./.test(inner))
    return `unknown expression "${shown}": write ".outputs." (plural)`;
  if (/^stage\./.test(inner)) return `unknown expression "${shown}": write "stages." (plural)`;
  return `unknown expression "${shown}"; ${FORMS_HELP}`;
}

/** What substitution reads: the run's answered inputs and the outputs of finished stages. */
export interface ExpressionContext {
  inputs: Readonly<Record<string, AnswerValue>>;
  stageOutputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The unit's item, in a unit of a fanned-out stage. */
  item?: string;
  /** The unit's matrix values, in a unit of a `matrix:` stage. */
  matrix?: Readonly<Record<string, string>>;
}

/** Upper case, anything but letters and digits → `_`. */
function envPart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The environment variable carrying input `id` into a command: `BATON_INPUT_<ID>`. */
export function inputEnvName(id: string): string {
  return `BATON_INPUT_${envPart(id)}`;
}

/** The environment variable carrying a stage output into a command: `BATON_OUT_<STAGE>__<OUTPUT>`. */
export function stageOutputEnvName(stage: string, output: string): string {
  return `BATON_OUT_${envPart(stage)}__${envPart(output)}`;
}

/** The environment variable carrying a matrix value: `BATON_MATRIX_<KEY>`. */
export function matrixEnvName(key: string): string {
  return `BATON_MATRIX_${envPart(key)}`;
}

/** The environment variable carrying a unit's item: `BATON_ITEM`. */
export const ITEM_ENV = 'BATON_ITEM';

/** An answer as text: strings as is, numbers via String(), booleans `true`/`false`, lists joined with `,`. */
export function renderAnswer(value: AnswerValue): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

interface Resolved {
  readonly envName: string;
  readonly value: string | undefined;
  readonly missing: string;
}

function resolve(reference: Reference, ctx: ExpressionContext): Resolved {
  if (reference.kind === 'item') {
    return {
      envName: ITEM_ENV,
      value: ctx.item,
      missing: 'only a foreach or matrix stage has an item',
    };
  }
  if (reference.kind === 'matrix') {
    const { matrix } = ctx;
    const value =
      matrix !== undefined && Object.hasOwn(matrix, reference.key)
        ? matrix[reference.key]
        : undefined;
    return {
      envName: matrixEnvName(reference.key),
      value,
      missing: `the matrix has no key "${reference.key}"`,
    };
  }
  if (reference.kind === 'input') {
    const value = Object.hasOwn(ctx.inputs, reference.id) ? ctx.inputs[reference.id] : undefined;
    return {
      envName: inputEnvName(reference.id),
      value: value === undefined ? undefined : renderAnswer(value),
      missing: `input "${reference.id}" has no value`,
    };
  }
  const outputs = Object.hasOwn(ctx.stageOutputs, reference.stage)
    ? ctx.stageOutputs[reference.stage]
    : undefined;
  const value =
    outputs !== undefined && Object.hasOwn(outputs, reference.output)
      ? outputs[reference.output]
      : undefined;
  return {
    envName: stageOutputEnvName(reference.stage, reference.output),
    value,
    missing: `stage "${reference.stage}" produced no output "${reference.output}"`,
  };
}

/** One name per thing a reference reads, to find two that map to one variable. */
function referenceKey(reference: Reference): string {
  switch (reference.kind) {
    case 'input':
      return `i:${reference.id}`;
    case 'stageOutput':
      return `o:${reference.stage}.${reference.output}`;
    case 'matrix':
      return `m:${reference.key}`;
    case 'item':
      return 'item';
    default: {
      const never: never = reference;
      return never;
    }
  }
}

/**
 * For a stage's `run` command: each ${{ }} becomes a shell variable reference
 * "${VAR}" and the value goes into env, so no input can inject shell syntax.
 * A missing value is an error and its variable is set to the empty string.
 */
export function substituteCommand(
  template: string,
  ctx: ExpressionContext,
): { command: string; env: Record<string, string>; errors: string[] } {
  const { references, errors: syntax } = findReferences(template);
  const errors = syntax.map((e) => `at offset ${e.offset}: ${e.message}`);
  const env: Record<string, string> = {};
  const owner = new Map<string, string>();
  let command = '';
  let from = 0;
  for (const reference of references) {
    const resolved = resolve(reference, ctx);
    const written = template.slice(reference.offset, reference.offset + reference.length);
    const key = referenceKey(reference);
    const previous = owner.get(resolved.envName);
    if (previous !== undefined && previous !== key) {
      errors.push(
        `${written} and another expression both map to the variable ${resolved.envName}; rename one of them`,
      );
    }
    owner.set(resolved.envName, key);
    if (resolved.value === undefined) errors.push(resolved.missing);
    env[resolved.envName] = resolved.value ?? '';
    command += `${template.slice(from, reference.offset)}\${${resolved.envName}}`;
    from = reference.offset + reference.length;
  }
  return { command: command + template.slice(from), env, errors };
}

/** For env values and cwd: the literal value. A missing value is an error and becomes the empty string. */
export function substituteText(
  template: string,
  ctx: ExpressionContext,
): { text: string; errors: string[] } {
  const { references, errors: syntax } = findReferences(template);
  const errors = syntax.map((e) => `at offset ${e.offset}: ${e.message}`);
  let text = '';
  let from = 0;
  for (const reference of references) {
    const resolved = resolve(reference, ctx);
    if (resolved.value === undefined) errors.push(resolved.missing);
    text += template.slice(from, reference.offset) + (resolved.value ?? '');
    from = reference.offset + reference.length;
  }
  return { text: text + template.slice(from), errors };
}
