/**
 * Where each stage id and input id of a pipeline file is declared and used:
 * keys under `stages:` and `inputs:`, items of `needs`, and the names inside
 * `${{ inputs.<id> }}` and `${{ stages.<id>.outputs.<name> }}`. Ranges cover
 * the name alone, so a rename edits exactly it.
 */
import type { SourceEntry, SourceNode, SourceRange } from '@baton/core';

/** The two kinds of names a pipeline file declares and refers to. */
export type SymbolKindName = 'stage' | 'input';

/** One appearance of a stage or input id. */
export interface SymbolOccurrence {
  readonly kind: SymbolKindName;
  readonly name: string;
  /** The name's own characters. */
  readonly range: SourceRange;
  readonly declaration: boolean;
}

/** A declared stage or input: its key and the whole `key: value` it spans. */
export interface SymbolDeclaration {
  readonly name: string;
  readonly nameRange: SourceRange;
  readonly entry: SourceEntry;
}

/** Every stage and input of a file, and every appearance of their names. */
export interface PipelineSymbols {
  readonly stages: readonly SymbolDeclaration[];
  readonly inputs: readonly SymbolDeclaration[];
  readonly occurrences: readonly SymbolOccurrence[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_-]*';
/** Both expression forms; `d` gives each name's offsets. */
const EXPRESSION = new RegExp(
  `\\$\\{\\{\\s*(?:inputs\\.(${NAME})|stages\\.(${NAME})\\.outputs\\.${NAME})\\s*\\}\\}`,
  'dg',
);

/** Collects the symbols of a file from its value tree (none when there is no tree). */
export function collectSymbols(text: string, tree: SourceNode | undefined): PipelineSymbols {
  if (tree?.kind !== 'map') return { stages: [], inputs: [], occurrences: [] };
  const stagesNode = valueOf(tree, 'stages');
  const stages = declarations(text, stagesNode);
  const inputs = declarations(text, valueOf(tree, 'inputs'));
  const occurrences: SymbolOccurrence[] = [
    ...stages.map((s) => declared('stage', s)),
    ...inputs.map((i) => declared('input', i)),
  ];
  if (stagesNode?.kind === 'map') {
    for (const stage of stagesNode.entries) {
      const needs = stage.value.kind === 'map' ? valueOf(stage.value, 'needs') : undefined;
      occurrences.push(...needsOccurrences(text, needs));
    }
    occurrences.push(...expressionOccurrences(text, stagesNode));
  }
  const env = valueOf(tree, 'env');
  if (env !== undefined) occurrences.push(...expressionOccurrences(text, env));
  occurrences.sort((a, b) => a.range.start - b.range.start);
  return { stages, inputs, occurrences };
}

/** The occurrence whose name contains `offset` (its end included, where a cursor after a word sits). */
export function occurrenceAt(
  symbols: PipelineSymbols,
  offset: number,
): SymbolOccurrence | undefined {
  return symbols.occurrences.find((o) => o.range.start <= offset && offset <= o.range.end);
}

/** Every appearance of one name, declaration first. */
export function occurrencesOf(
  symbols: PipelineSymbols,
  kind: SymbolKindName,
  name: string,
): SymbolOccurrence[] {
  return symbols.occurrences
    .filter((o) => o.kind === kind && o.name === name)
    .sort((a, b) => Number(b.declaration) - Number(a.declaration));
}

/** The value of `key` in a mapping. */
export function valueOf(node: SourceNode, key: string): SourceNode | undefined {
  if (node.kind !== 'map') return undefined;
  return node.entries.find((entry) => entry.key === key)?.value;
}

/** The range of `name` inside `range` (past any quotes), or `range` when not found. */
export function nameRangeIn(text: string, range: SourceRange, name: string): SourceRange {
  const found = text.slice(range.start, range.end).indexOf(name);
  if (found < 0 || name === '') return range;
  return { start: range.start + found, end: range.start + found + name.length };
}

function declarations(text: string, node: SourceNode | undefined): SymbolDeclaration[] {
  if (node?.kind !== 'map') return [];
  return node.entries.map((entry) => ({
    name: entry.key,
    nameRange: nameRangeIn(text, entry.keyRange, entry.key),
    entry,
  }));
}

function declared(kind: SymbolKindName, declaration: SymbolDeclaration): SymbolOccurrence {
  return { kind, name: declaration.name, range: declaration.nameRange, declaration: true };
}

/** `needs: build` or `needs: [build, test]`. */
function needsOccurrences(text: string, needs: SourceNode | undefined): SymbolOccurrence[] {
  const items = needs === undefined ? [] : needs.kind === 'seq' ? needs.items : [needs];
  return items.flatMap((item) =>
    item.kind === 'scalar' && typeof item.value === 'string' && item.value !== ''
      ? [
          {
            kind: 'stage' as const,
            name: item.value,
            range: nameRangeIn(text, item.range, item.value),
            declaration: false,
          },
        ]
      : [],
  );
}

/** Names inside expressions of every string scalar under `node`, read from the raw text. */
function expressionOccurrences(text: string, node: SourceNode): SymbolOccurrence[] {
  const found: SymbolOccurrence[] = [];
  for (const scalar of stringScalars(node)) {
    const raw = text.slice(scalar.range.start, scalar.range.end);
    for (const match of raw.matchAll(EXPRESSION)) {
      const input = match.indices?.[1];
      const stage = match.indices?.[2];
      const [kind, span] =
        input !== undefined ? ['input' as const, input] : ['stage' as const, stage];
      if (span === undefined) continue;
      const start = scalar.range.start + span[0];
      const end = scalar.range.start + span[1];
      found.push({ kind, name: text.slice(start, end), range: { start, end }, declaration: false });
    }
  }
  return found;
}

function stringScalars(node: SourceNode): SourceNode[] {
  switch (node.kind) {
    case 'scalar':
      return typeof node.value === 'string' && node.value.includes('${{') ? [node] : [];
    case 'seq':
      return node.items.flatMap(stringScalars);
    case 'map':
      return node.entries.flatMap((entry) => stringScalars(entry.value));
    default: {
      const never: never = node;
      return never;
    }
  }
}
