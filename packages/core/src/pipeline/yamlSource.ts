import { isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Alias, Document, Node as YamlNode, Scalar, YAMLMap } from 'yaml';
import { DiagnosticSink, indexLines } from './diagnosticSink';
import { findExcessiveNesting, MAX_NESTING } from './nesting';
import { readPlainYaml } from './plainYaml';
import { emptyScalar } from './sourceNode';
import type { SourceEntry, SourceNode, SourceRange } from './sourceNode';

/** Syntax errors usually cascade; the first ones are the ones worth reading. */
const MAX_SYNTAX_ERRORS = 20;

/** More values reached through aliases than any sane pipeline has; stops alias bombs early. */
const NODE_BUDGET = 100_000;

/** The result of reading a YAML (or JSON-as-YAML) file into a {@link SourceNode} tree. */
export interface ReadSource {
  /** The document's root value, or undefined when the file is empty or unreadable. */
  readonly root?: SourceNode;
  readonly sink: DiagnosticSink;
}

/**
 * Parses YAML text and converts it to a {@link SourceNode} tree, reporting
 * syntax errors (with positions) into a fresh {@link DiagnosticSink}.
 * Anchors/aliases and `<<` merge keys are resolved here so validators never
 * see them.
 */
export function readYamlSource(text: string, file: string): ReadSource {
  const tooDeep = findExcessiveNesting(text);
  if (tooDeep !== undefined) {
    const sink = new DiagnosticSink(file, indexLines(text));
    const at = { start: tooDeep, end: tooDeep + 1 };
    sink.error(
      at,
      'too-deep',
      `Values are nested more than ${MAX_NESTING} levels deep here; a pipeline needs far fewer.`,
    );
    return { sink };
  }
  const plain = readPlainYaml(text);
  if (plain !== undefined) return { root: plain, sink: new DiagnosticSink(file, indexLines(text)) };
  return readYamlWithLibrary(text, file);
}

/**
 * {@link readYamlSource} through the yaml library alone, for any YAML. Call
 * it only on text that passed the nesting pre-scan.
 */
export function readYamlWithLibrary(text: string, file: string): ReadSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: false,
    merge: false,
  });
  const sink = new DiagnosticSink(file, lines);
  for (const problem of doc.errors.slice(0, MAX_SYNTAX_ERRORS)) {
    sink.error(rangeOf(problem.pos), 'yaml-syntax', `YAML syntax error: ${explain(problem)}`);
  }
  const unreported = doc.errors.length - MAX_SYNTAX_ERRORS;
  if (unreported > 0) {
    const last = doc.errors[MAX_SYNTAX_ERRORS]?.pos ?? [0, 0];
    sink.error(
      rangeOf(last),
      'yaml-syntax',
      `${unreported} more YAML syntax errors follow; fix the ones above first.`,
    );
  }
  for (const problem of doc.warnings) {
    sink.warning(rangeOf(problem.pos), 'yaml-warning', `YAML: ${problem.message}`);
  }
  if (doc.errors.length > 0 || doc.contents === null) return { sink };
  const converter = new YamlConverter(doc, text, sink);
  const root = converter.convert(doc.contents, []);
  return root === undefined ? { sink } : { root, sink };
}

/** The yaml library's messages, minus the ones that speak to programmers rather than to the file's author. */
function explain(problem: { code: string; message: string }): string {
  if (problem.code === 'MULTIPLE_DOCS') {
    return 'the file holds more than one YAML document (a line with ---); a pipeline file holds exactly one.';
  }
  return problem.message;
}

function rangeOf(pos: readonly [number, number]): SourceRange {
  return { start: pos[0], end: pos[1] };
}

function nodeRange(node: YamlNode): SourceRange {
  const range = node.range;
  return range ? { start: range[0], end: range[1] } : { start: 0, end: 0 };
}

/** Walks the yaml library's AST once, resolving aliases with a node budget. */
class YamlConverter {
  private expanded = 0;
  private exhausted = false;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly sink: DiagnosticSink,
  ) {}

  /** Converts `node`; `resolving` holds the alias targets being expanded, to catch self-reference. */
  convert(node: unknown, resolving: readonly YamlNode[]): SourceNode | undefined {
    // Only values reached through aliases count: written-out values are bounded by the text.
    if (resolving.length > 0 && ++this.expanded > NODE_BUDGET) {
      if (!this.exhausted) {
        this.exhausted = true;
        const at = isNode(node) ? nodeRange(node) : { start: 0, end: 0 };
        this.sink.error(
          at,
          'too-large',
          `Aliases here expand to more than ${NODE_BUDGET} values; a pipeline needs far fewer.`,
        );
      }
      return undefined;
    }
    if (isAlias(node)) return this.convertAlias(node, resolving);
    if (isScalar(node)) return this.convertScalar(node);
    if (isMap(node)) return this.convertMap(node, resolving);
    if (isSeq(node)) {
      const items: SourceNode[] = [];
      for (const item of node.items) {
        const converted = this.convert(item, resolving);
        if (converted !== undefined) items.push(converted);
      }
      return { kind: 'seq', range: nodeRange(node), items };
    }
    return undefined;
  }

  private convertAlias(alias: Alias, resolving: readonly YamlNode[]): SourceNode | undefined {
    const target = alias.resolve(this.doc);
    const range = nodeRange(alias);
    if (target === undefined) {
      this.sink.error(range, 'yaml-syntax', `The alias *${alias.source} refers to no anchor.`);
      return undefined;
    }
    if (resolving.includes(target)) {
      this.sink.error(range, 'yaml-syntax', `The alias *${alias.source} contains itself.`);
      return undefined;
    }
    const converted = this.convert(target, [...resolving, target]);
    // Diagnostics about an aliased value point at the alias, where the reader looks.
    return converted === undefined ? undefined : relocate(converted, range);
  }

  private convertScalar(scalar: Scalar): SourceNode {
    const range = nodeRange(scalar);
    const value = scalar.value;
    if (typeof value === 'string' || typeof value === 'boolean') {
      return { kind: 'scalar', range, value, text: String(value) };
    }
    if (typeof value === 'number') {
      // Keep the number as written: `version: 1.10` should stay "1.10" when text is wanted.
      const written = this.text.slice(range.start, range.end).trim();
      return { kind: 'scalar', range, value, text: written || String(value) };
    }
    if (value === null || value === undefined) return emptyScalar(range);
    return { kind: 'scalar', range, value: String(value), text: String(value) };
  }

  private convertMap(map: YAMLMap, resolving: readonly YamlNode[]): SourceNode {
    const explicit: SourceEntry[] = [];
    const merged: SourceEntry[] = [];
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        const at =
          isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode)
            ? nodeRange(keyNode)
            : nodeRange(map);
        this.sink.error(at, 'bad-key', 'Keys must be plain names, not lists, mappings or empty.');
        continue;
      }
      const keyRange = nodeRange(keyNode);
      const value =
        this.convert(pair.value, resolving) ?? emptyScalar(valueGap(keyRange, pair.value));
      if (keyNode.type === 'PLAIN' && keyNode.value === '<<') {
        merged.push(...this.mergeEntries(value, keyRange));
      } else {
        explicit.push({ key: String(keyNode.value), keyRange, value });
      }
    }
    const entries = merged.length === 0 ? explicit : withMerged(explicit, merged);
    return { kind: 'map', range: nodeRange(map), entries };
  }

  private mergeEntries(value: SourceNode, at: SourceRange): SourceEntry[] {
    const sources = value.kind === 'seq' ? value.items : [value];
    const entries: SourceEntry[] = [];
    for (const source of sources) {
      if (source.kind === 'map') {
        entries.push(...source.entries);
      } else {
        const message = 'A `<<` merge key needs a mapping (or a list of mappings) to merge.';
        this.sink.error(at, 'wrong-type', message);
      }
    }
    return entries;
  }
}

/** YAML merge semantics: keys written in the mapping itself win over merged ones, earlier merges over later. */
function withMerged(explicit: SourceEntry[], merged: readonly SourceEntry[]): SourceEntry[] {
  const seen = new Set(explicit.map((e) => e.key));
  const inherited = merged.filter((e) => !seen.has(e.key) && seen.add(e.key));
  return [...explicit, ...inherited];
}

/** Where an absent value would be: just after its key. */
function valueGap(keyRange: SourceRange, value: unknown): SourceRange {
  if (isScalar(value) && value.range) return { start: value.range[0], end: value.range[1] };
  return { start: keyRange.start, end: keyRange.end };
}

/** Gives a whole aliased subtree the alias's range. */
function relocate(node: SourceNode, range: SourceRange): SourceNode {
  switch (node.kind) {
    case 'scalar':
      return { ...node, range };
    case 'seq':
      return { kind: 'seq', range, items: node.items.map((item) => relocate(item, range)) };
    case 'map':
      return {
        kind: 'map',
        range,
        entries: node.entries.map((e) => ({
          key: e.key,
          keyRange: range,
          value: relocate(e.value, range),
        })),
      };
  }
}
