/**
 * The outline of a pipeline file: its top-level keys, with the inputs and the
 * stages as children of theirs.
 */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { SourceEntry, SourceNode } from '@baton/core';
import type { PipelineDocument } from './pipelineDocument';
import { valueOf } from './pipelineSymbols';

/** The document symbols: every top-level key, stages and inputs listed under theirs. */
export function documentSymbols(document: PipelineDocument): DocumentSymbol[] {
  const tree = document.tree;
  if (tree?.kind !== 'map') return [];
  return tree.entries.map((entry) => {
    const children =
      entry.key === 'stages'
        ? childSymbols(document, entry.value, SymbolKind.Function, stageDetail)
        : entry.key === 'inputs'
          ? childSymbols(document, entry.value, SymbolKind.Variable, inputDetail)
          : undefined;
    const kind = children === undefined ? SymbolKind.Property : SymbolKind.Namespace;
    return symbolOf(document, entry, kind, scalarText(entry.value), children);
  });
}

function childSymbols(
  document: PipelineDocument,
  node: SourceNode,
  kind: SymbolKind,
  detail: (value: SourceNode) => string,
): DocumentSymbol[] {
  if (node.kind !== 'map') return [];
  return node.entries.map((entry) => symbolOf(document, entry, kind, detail(entry.value)));
}

function symbolOf(
  document: PipelineDocument,
  entry: SourceEntry,
  kind: SymbolKind,
  detail: string,
  children?: DocumentSymbol[],
): DocumentSymbol {
  let end = Math.max(entry.keyRange.end, entry.value.range.end);
  // A block value's range runs on to the next key's line; the symbol ends with its text.
  while (end > entry.keyRange.end && /\s/.test(document.text.charAt(end - 1))) end--;
  const range = document.rangeOf({ start: entry.keyRange.start, end });
  return {
    name: entry.key,
    ...(detail === '' ? {} : { detail }),
    kind,
    range,
    selectionRange: document.rangeOf(entry.keyRange),
    ...(children === undefined ? {} : { children }),
  };
}

/** A stage's detail: what it needs, else its command's first line. */
function stageDetail(stage: SourceNode): string {
  const needs = valueOf(stage, 'needs');
  const names =
    needs === undefined ? [] : (needs.kind === 'seq' ? needs.items : [needs]).map(scalarText);
  if (names.length > 0) return `needs ${names.join(', ')}`;
  return firstLine(scalarText(valueOf(stage, 'run')));
}

/** An input's detail: its type. */
function inputDetail(input: SourceNode): string {
  return scalarText(valueOf(input, 'type')) || 'text';
}

function scalarText(node: SourceNode | undefined): string {
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : '';
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
