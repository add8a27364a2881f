/**
 * A fast reader for the plainest YAML: nested block mappings whose values are
 * simple plain scalars, quoted strings without escapes, or one-line lists of
 * simple plain scalars (glob patterns included). Generated pipelines of thousands of stages are
 * written this way, and the yaml library needs most of a second for 500 KB of
 * them. Anything else (comments, blank lines, block lists, anchors, escapes,
 * tabs, multi-line values, odd indentation) makes this reader give up, and
 * the yaml library reads the file instead. When it does not give up, it
 * returns exactly the tree, with exactly the ranges, that converting the yaml
 * library's document would (the tests compare the two).
 */
import type { SourceEntry, SourceMap, SourceNode, SourceScalar, SourceSeq } from './sourceNode';

/** One `key: value` line. */
interface Line {
  readonly indent: number;
  readonly key: string;
  readonly keyStart: number;
  /** The value as written, without surrounding spaces; empty when the line opens a nested mapping. */
  readonly value: string;
  readonly valueStart: number;
  /** Just past the line's newline (or the end of the text): where the yaml library ends a value. */
  readonly nodeEnd: number;
}

const KEY = /^( *)([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*?))? *$/;
const WORD = /^[A-Za-z_][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*$/;
const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
const DOUBLE_QUOTED = /^"[^"\\]*"$/;
const SINGLE_QUOTED = /^'[^']*'$/;
/**
 * A list item: a word, which may hold the glob wildcards `*` and `?` after its
 * first character (`deps: [data/*.txt]`). Inside a flow list YAML reads them
 * as plain text; only at the start would they be indicators (alias, key).
 */
const LIST_ITEM = /^[A-Za-z_][A-Za-z0-9_./*?-]*$/;
/** Longer keys go to the yaml library, which reports the ones YAML does not allow. */
const MAX_KEY_LENGTH = 1000;
/** Plain words the YAML 1.2 core schema reads as null or booleans. */
const KEYWORDS = new Map<string, boolean | null>([
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/** The root mapping of `text`, or undefined when the text is not in the plain form this reader handles. */
export function readPlainYaml(text: string): SourceMap | undefined {
  if (/[\t\r]/.test(text)) return undefined;
  const lines = splitLines(text);
  if (lines === undefined || lines.length === 0 || lines[0]?.indent !== 0) return undefined;
  const cursor = { next: 0 };
  const root = readMap(lines, cursor, 0);
  return cursor.next === lines.length ? root : undefined;
}

function splitLines(text: string): Line[] | undefined {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const match = KEY.exec(text.slice(start, end));
    if (match === null) return undefined;
    const indent = match[1]?.length ?? 0;
    const key = match[2] ?? '';
    const value = match[3] ?? '';
    // YAML refuses implicit keys over 1,024 characters; the library says so in its own words.
    if (KEYWORDS.has(key) || key.length > MAX_KEY_LENGTH) return undefined;
    const valueStart = value === '' ? end : text.indexOf(value, start + indent + key.length + 1);
    const nodeEnd = newline < 0 ? text.length : newline + 1;
    lines.push({ indent, key, keyStart: start + indent, value, valueStart, nodeEnd });
    start = nodeEnd;
  }
  return lines;
}

/** Reads the mapping whose keys are the lines at `indent` from `cursor.next` on. */
function readMap(lines: readonly Line[], cursor: { next: number }, indent: number) {
  const entries: SourceEntry[] = [];
  let end = 0;
  for (let line = lines[cursor.next]; line?.indent === indent; line = lines[cursor.next]) {
    cursor.next += 1;
    const keyRange = { start: line.keyStart, end: line.keyStart + line.key.length };
    let value: SourceNode | undefined;
    if (line.value === '') {
      const nested = lines[cursor.next];
      if (nested === undefined || nested.indent <= indent) return undefined;
      value = readMap(lines, cursor, nested.indent);
      end = value?.range.end ?? 0;
    } else {
      value = readValue(line);
      end = line.nodeEnd;
    }
    if (value === undefined) return undefined;
    entries.push({ key: line.key, keyRange, value });
  }
  const first = entries[0];
  const following = lines[cursor.next];
  // A deeper line after a scalar value, or a dedent to an indentation no open mapping has, is not plain.
  if (first === undefined || (following !== undefined && following.indent > indent)) {
    return undefined;
  }
  const map: SourceMap = { kind: 'map', range: { start: first.keyRange.start, end }, entries };
  return map;
}

function readValue(line: Line): SourceNode | undefined {
  const { value, valueStart } = line;
  if (value.startsWith('[')) return readList(value, valueStart);
  return readScalar(value, valueStart);
}

function readScalar(written: string, start: number): SourceScalar | undefined {
  const range = { start, end: start + written.length };
  if (DOUBLE_QUOTED.test(written) || SINGLE_QUOTED.test(written)) {
    const value = written.slice(1, -1);
    return hasOnlyPrintable(value) ? { kind: 'scalar', range, value, text: value } : undefined;
  }
  if (INTEGER.test(written))
    return { kind: 'scalar', range, value: Number(written), text: written };
  const keyword = KEYWORDS.get(written);
  if (keyword === null) return { kind: 'scalar', range, value: null, text: '' };
  // As for the yaml library's booleans, the text is the value's, not the spelling (`True` → "true").
  if (keyword !== undefined)
    return { kind: 'scalar', range, value: keyword, text: String(keyword) };
  if (!WORD.test(written)) return undefined;
  return { kind: 'scalar', range, value: written, text: written };
}

/** Control characters, NEL, line and paragraph separators and BOMs are left to the yaml library. */
function hasOnlyPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
    if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return false;
  }
  return true;
}

/** `[a, b, c]` exactly so: items are simple words separated by a comma and one space. */
function readList(written: string, start: number): SourceSeq | undefined {
  if (!written.endsWith(']')) return undefined;
  const range = { start, end: start + written.length };
  const inner = written.slice(1, -1);
  if (inner === '') return { kind: 'seq', range, items: [] };
  const items: SourceNode[] = [];
  let offset = start + 1;
  for (const item of inner.split(', ')) {
    if (!LIST_ITEM.test(item) || KEYWORDS.has(item)) return undefined;
    items.push({
      kind: 'scalar',
      range: { start: offset, end: offset + item.length },
      value: item,
      text: item,
    });
    offset += item.length + 2;
  }
  return { kind: 'seq', range, items };
}
