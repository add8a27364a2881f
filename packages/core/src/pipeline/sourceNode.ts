/**
 * A small, position-carrying tree of the values in a pipeline file. Both the
 * YAML and the JSON readers produce it, so validation is written once and
 * every diagnostic can point at the exact text it is about.
 */

/** A half-open range of character offsets into the file text. */
export interface SourceRange {
  readonly start: number;
  readonly end: number;
}

/** One `key: value` pair of a mapping, with the key's own range for "unknown key" messages. */
export interface SourceEntry {
  readonly key: string;
  readonly keyRange: SourceRange;
  readonly value: SourceNode;
}

/** A mapping. `entries` keeps duplicates in file order; validators decide how to report them. */
export interface SourceMap {
  readonly kind: 'map';
  readonly range: SourceRange;
  readonly entries: readonly SourceEntry[];
}

/** A sequence. */
export interface SourceSeq {
  readonly kind: 'seq';
  readonly range: SourceRange;
  readonly items: readonly SourceNode[];
}

/** A scalar; `text` is the value as written (so `1.10` stays `1.10` when text is wanted). */
export interface SourceScalar {
  readonly kind: 'scalar';
  readonly range: SourceRange;
  readonly value: string | number | boolean | null;
  readonly text: string;
}

/** Any value in a pipeline file. */
export type SourceNode = SourceMap | SourceSeq | SourceScalar;

/** A null scalar standing in for an absent value (e.g. `run:` with nothing after it). */
export function emptyScalar(range: SourceRange): SourceScalar {
  return { kind: 'scalar', range, value: null, text: '' };
}
