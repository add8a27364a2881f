import type { DiagnosticSink } from './diagnosticSink';
import { checkId, checkIdCollisions, positionOf } from './ids';
import type { Writable } from './writable';
import { INPUT_KEYS } from './keys';
import type { AnswerValue, InputSpec, PromptType } from './model';
import {
  checkKeys,
  describeNode,
  readBoolean,
  readDuration,
  readEntries,
  readText,
  readTextList,
} from './readers';
import type { SourceEntry, SourceNode } from './sourceNode';
import { didYouMean, didYouMeanFix } from './suggest';

/** The prompt types, in the order the docs list them. */
export const PROMPT_TYPES: readonly PromptType[] = ['text', 'choice', 'multi', 'number', 'confirm'];

/** Reads the top-level `inputs:` mapping into input specs in declaration order. */
export function readInputs(node: SourceNode, sink: DiagnosticSink): InputSpec[] {
  const entries = readEntries(node, sink, 'inputs', 'input');
  if (entries === undefined) return [];
  checkIdCollisions(entries, sink, 'input');
  const inputs: InputSpec[] = [];
  for (const entry of entries.values()) {
    const input = readInput(entry, sink);
    if (input !== undefined) inputs.push(input);
  }
  return inputs;
}

function readInput(entry: SourceEntry, sink: DiagnosticSink): InputSpec | undefined {
  const validId = checkId(entry, sink, 'input');
  const path = `inputs.${entry.key}`;
  const fields = readEntries(entry.value, sink, path);
  if (fields === undefined) return undefined;
  checkKeys(fields, INPUT_KEYS, sink, path);
  const input: Writable<InputSpec> = {
    id: entry.key,
    prompt: entry.key,
    type: readType(fields.get('type'), sink, path) ?? 'text',
    position: positionOf(entry, sink),
  };
  const prompt = fields.get('prompt');
  if (prompt !== undefined)
    input.prompt = readText(prompt.value, sink, `${path}.prompt`) ?? entry.key;
  const options = readOptions(input.type, fields, sink, path);
  if (options !== undefined) input.options = options;
  const defaultEntry = fields.get('default');
  if (defaultEntry !== undefined) {
    const value = readDefault(input.type, options, defaultEntry.value, sink, `${path}.default`);
    if (value !== undefined) input.default = value;
  }
  const timeout = fields.get('timeout');
  if (timeout !== undefined) {
    const ms = readDuration(timeout.value, sink, `${path}.timeout`);
    if (ms !== undefined) input.timeoutMs = ms;
  }
  const secret = fields.get('secret');
  if (secret !== undefined) {
    const value = readBoolean(secret.value, sink, `${path}.secret`);
    if (value !== undefined) input.secret = value;
  }
  return validId ? input : undefined;
}

function readType(
  entry: SourceEntry | undefined,
  sink: DiagnosticSink,
  path: string,
): PromptType | undefined {
  if (entry === undefined) return undefined;
  const text = readText(entry.value, sink, `${path}.type`);
  if (text === undefined) return undefined;
  const type = PROMPT_TYPES.find((t) => t === text);
  if (type === undefined) {
    sink.error(
      entry.value.range,
      'bad-value',
      `${path}.type: "${text}" is not an input type; use one of ${PROMPT_TYPES.join(', ')}.${didYouMean(text, PROMPT_TYPES)}`,
      didYouMeanFix(text, PROMPT_TYPES),
    );
  }
  return type;
}

function readOptions(
  type: PromptType,
  fields: ReadonlyMap<string, SourceEntry>,
  sink: DiagnosticSink,
  path: string,
): string[] | undefined {
  const entry = fields.get('options');
  const needsOptions = type === 'choice' || type === 'multi';
  if (entry === undefined) {
    const where = fields.get('type')?.value.range;
    if (needsOptions && where !== undefined) {
      sink.error(
        where,
        'missing-key',
        `${path}: a ${type} input needs "options", the list to choose from.`,
      );
    }
    return undefined;
  }
  if (!needsOptions) {
    sink.error(
      entry.keyRange,
      'options-not-allowed',
      `${path}.options: only choice and multi inputs have options (this one is ${type}); set type: choice.`,
    );
    return undefined;
  }
  const options = readTextList(entry.value, sink, `${path}.options`);
  if (options === undefined) return undefined;
  if (options.length === 0) {
    sink.error(entry.value.range, 'bad-value', `${path}.options: give at least one option.`);
    return undefined;
  }
  const repeated = options.find((option, index) => options.indexOf(option) !== index);
  if (repeated !== undefined) {
    sink.error(entry.value.range, 'bad-value', `${path}.options: "${repeated}" is listed twice.`);
    return undefined;
  }
  return options;
}

function readDefault(
  type: PromptType,
  options: readonly string[] | undefined,
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): AnswerValue | undefined {
  switch (type) {
    case 'text':
      return readText(node, sink, path);
    case 'number':
      if (node.kind === 'scalar' && typeof node.value === 'number') return node.value;
      return typeMismatch(node, sink, path, 'a number');
    case 'confirm':
      if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
      return typeMismatch(node, sink, path, 'true or false');
    case 'choice':
      return readChoiceDefault(options, node, sink, path);
    case 'multi':
      return readMultiDefault(options, node, sink, path);
  }
}

function typeMismatch(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
  expected: string,
): undefined {
  sink.error(
    node.range,
    'bad-default',
    `${path}: expected ${expected} to match the input's type, got ${describeNode(node)}.`,
  );
  return undefined;
}

function readChoiceDefault(
  options: readonly string[] | undefined,
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): string | undefined {
  const value = readText(node, sink, path);
  if (value === undefined || options === undefined) return undefined;
  if (options.includes(value)) return value;
  sink.error(
    node.range,
    'bad-default',
    `${path}: "${value}" is not one of the options (${options.join(', ')}).${didYouMean(value, options)}`,
    didYouMeanFix(value, options),
  );
  return undefined;
}

function readMultiDefault(
  options: readonly string[] | undefined,
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): string[] | undefined {
  const values = readTextList(node, sink, path);
  if (values === undefined || options === undefined) return undefined;
  const stranger = values.find((v) => !options.includes(v));
  if (stranger === undefined) return values;
  sink.error(
    node.range,
    'bad-default',
    `${path}: "${stranger}" is not one of the options (${options.join(', ')}).${didYouMean(stranger, options)}`,
  );
  return undefined;
}
