import type { DiagnosticSink } from './diagnosticSink';
import { parseDuration } from './duration';
import { KEY_HINTS } from './keys';
import type { SourceEntry, SourceNode } from './sourceNode';
import { closestMatch, fixOf } from './suggest';

/**
 * Typed readers over {@link SourceNode}s. Each reports a positioned
 * diagnostic and returns undefined when the value has the wrong shape, so a
 * validator can carry on and find the next problem. `path` names the value
 * in messages, e.g. `stages.build.timeout`.
 */

/** Durations above this overflow JavaScript timers (about 24.8 days). */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** How a value looks, for "expected X, got Y" messages. */
export function describeNode(node: SourceNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'nothing';
  if (typeof node.value === 'string') return `the text "${clip(node.value)}"`;
  return `${typeof node.value === 'number' ? 'the number' : 'the boolean'} ${node.text}`;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function wrongType(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
  expected: string,
): undefined {
  sink.error(node.range, 'wrong-type', `${path}: expected ${expected}, got ${describeNode(node)}.`);
  return undefined;
}

/** Text; numbers and booleans count as text as written (`PORT: 8080` → "8080"). */
export function readText(node: SourceNode, sink: DiagnosticSink, path: string): string | undefined {
  if (node.kind !== 'scalar' || node.value === null) return wrongType(node, sink, path, 'text');
  return node.text;
}

/** A true/false value. */
export function readBoolean(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): boolean | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  return wrongType(node, sink, path, 'true or false');
}

/** Bounds for {@link readNumber}. */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/** A number within `rule`; out-of-range values are reported with code `out-of-range`. */
export function readNumber(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
  rule: NumberRule,
): number | undefined {
  const kind = rule.integer === true ? 'a whole number' : 'a number';
  if (node.kind !== 'scalar' || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
    return wrongType(node, sink, path, kind);
  }
  const value = node.value;
  if (rule.integer === true && !Number.isInteger(value)) return wrongType(node, sink, path, kind);
  const tooLow = rule.min !== undefined && value < rule.min;
  const tooHigh = rule.max !== undefined && value > rule.max;
  if (tooLow || tooHigh) {
    sink.error(
      node.range,
      'out-of-range',
      `${path}: ${node.text} is out of range; ${rangeText(rule)}.`,
    );
    return undefined;
  }
  return value;
}

function rangeText(rule: NumberRule): string {
  if (rule.min !== undefined && rule.max !== undefined) return `use ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `use at least ${rule.min}`;
  return `use at most ${rule.max ?? 0}`;
}

/** A duration (`500ms`, `30s`, `5m`, `1h30m`) in milliseconds; zero only when `allowZero`. */
export function readDuration(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
  allowZero = false,
): number | undefined {
  const hint = 'a duration such as 500ms, 30s, 5m, 1h or 1h30m';
  if (node.kind === 'scalar' && typeof node.value === 'number') {
    sink.error(
      node.range,
      'bad-duration',
      `${path}: ${node.text} has no unit; write ${hint} (e.g. ${node.text}s).`,
    );
    return undefined;
  }
  if (node.kind !== 'scalar' || typeof node.value !== 'string')
    return wrongType(node, sink, path, hint);
  const ms = parseDuration(node.value);
  if (ms === undefined) {
    sink.error(node.range, 'bad-duration', `${path}: "${clip(node.value)}" is not ${hint}.`);
  } else if (ms === 0 && !allowZero) {
    sink.error(node.range, 'bad-duration', `${path}: the duration must be longer than zero.`);
  } else if (ms > MAX_DURATION_MS) {
    sink.error(
      node.range,
      'bad-duration',
      `${path}: durations are limited to about 24 days (596h).`,
    );
  } else {
    return ms;
  }
  return undefined;
}

/** A list of texts; a single text counts as a one-item list when `allowSingle`. Null is an empty list. */
export function readTextList(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
  allowSingle = false,
): string[] | undefined {
  if (node.kind === 'scalar' && node.value === null) return [];
  if (allowSingle && node.kind === 'scalar') return [node.text];
  if (node.kind !== 'seq')
    return wrongType(node, sink, path, allowSingle ? 'a list or a single text' : 'a list');
  const out: string[] = [];
  node.items.forEach((item, index) => {
    const text = readText(item, sink, `${path}[${index}]`);
    if (text !== undefined) out.push(text);
  });
  return out.length === node.items.length ? out : undefined;
}

/**
 * The entries of a mapping by key, first occurrence winning. A repeated key
 * is reported (`duplicate-id` for stage and input ids, else `duplicate-key`),
 * because YAML would otherwise silently keep only one of them. Null counts as
 * an empty mapping.
 */
export function readEntries(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
  what: 'key' | 'stage' | 'input' = 'key',
): Map<string, SourceEntry> | undefined {
  if (node.kind === 'scalar' && node.value === null) return new Map();
  if (node.kind !== 'map') return wrongType(node, sink, path, 'a mapping of names to values');
  const entries = new Map<string, SourceEntry>();
  for (const entry of node.entries) {
    const first = entries.get(entry.key);
    if (first === undefined) {
      entries.set(entry.key, entry);
      continue;
    }
    const line = sink.lines.linePos(first.keyRange.start).line;
    const subject = what === 'key' ? `The key "${entry.key}"` : `The ${what} "${entry.key}"`;
    const code = what === 'key' ? 'duplicate-key' : 'duplicate-id';
    sink.error(
      entry.keyRange,
      code,
      `${subject} is declared twice in ${path} (first on line ${line}); names must be unique.`,
    );
  }
  return entries;
}

/** Reports every key of `entries` not in `allowed`, with a did-you-mean suggestion. */
export function checkKeys(
  entries: ReadonlyMap<string, SourceEntry>,
  allowed: readonly string[],
  sink: DiagnosticSink,
  path: string,
): void {
  for (const [key, entry] of entries) {
    if (allowed.includes(key)) continue;
    const hintKey = key.toLowerCase().replace(/-/g, '_');
    const hinted = Object.hasOwn(KEY_HINTS, hintKey) ? KEY_HINTS[hintKey] : undefined;
    const suggestion =
      hinted !== undefined && allowed.includes(hinted) ? hinted : closestMatch(key, allowed);
    const advice =
      suggestion !== undefined
        ? ` Did you mean "${suggestion}"?`
        : ` Allowed here: ${allowed.join(', ')}.`;
    sink.error(
      entry.keyRange,
      'unknown-key',
      `${path}: unknown key "${clip(key)}".${advice}`,
      fixOf(key, suggestion),
    );
  }
}
