/**
 * Completion in pipeline files: keys at each level (from the schema), stage
 * ids in `needs`, enum and boolean values, and the two expression forms,
 * `${{ inputs.<id> }}` and `${{ stages.<id>.outputs.<name> }}` (output names
 * from what earlier runs wrote).
 */
import { CompletionItemKind, type CompletionItem, type Range } from 'vscode-languageserver-types';
import type { SourceNode } from '@baton/core';
import { yamlContext, type CursorContext } from './cursorContext';
import { jsonContext } from './jsonContext';
import type { PipelineDocument } from './pipelineDocument';
import { valueOf } from './pipelineSymbols';
import { keysAt, valuesAt } from './schemaDocs';

/** Output names by stage id, as earlier runs wrote them. */
export type KnownOutputs = ReadonlyMap<string, readonly string[]>;

/** The completion items at `offset`. */
export function completionsAt(
  document: PipelineDocument,
  offset: number,
  outputs: KnownOutputs,
): CompletionItem[] {
  const context = cursorContextAt(document, offset);
  switch (context.kind) {
    case 'key':
      return keyItems(document, context, offset);
    case 'value':
      return valueItems(document, context, offset);
    case 'expression':
      return expressionItems(document, context, offset, outputs);
    case 'none':
      return [];
    default: {
      const never: never = context;
      return never;
    }
  }
}

/** The cursor context for the document's format. */
export function cursorContextAt(document: PipelineDocument, offset: number): CursorContext {
  return document.isJson ? jsonContext(document.text, offset) : yamlContext(document.text, offset);
}

function keyItems(
  document: PipelineDocument,
  context: Extract<CursorContext, { kind: 'key' }>,
  offset: number,
): CompletionItem[] {
  // Editing inside an existing key (`ru|n: make`): the whole word is replaced, its `: …` kept.
  const rest = /^[\w$-]*/.exec(document.text.slice(offset))?.[0] ?? '';
  const end = offset + rest.length;
  const editing = document.text.slice(context.from, end);
  const keepsValue = !document.isJson && document.text.charAt(end) === ':';
  const present = new Set(existingKeys(document.tree, context.path).filter((k) => k !== editing));
  const range = rangeOf(document, context.from, end);
  const column = document.positionAt(context.from).character;
  return keysAt(context.path)
    .filter((doc) => !present.has(doc.key))
    .map((doc) => ({
      label: doc.key,
      kind: CompletionItemKind.Property,
      detail: doc.type,
      documentation: { kind: 'markdown', value: doc.description },
      textEdit: {
        range,
        newText: keepsValue ? doc.key : keyText(document, context, doc.key, doc.isMapping, column),
      },
    }));
}

/** How a key is written: `key: ` (a mapping's key on its own line) in YAML, `"key": ` in JSON. */
function keyText(
  document: PipelineDocument,
  context: Extract<CursorContext, { kind: 'key' }>,
  key: string,
  isMapping: boolean,
  column: number,
): string {
  if (document.isJson) return context.inQuotes ? key : `"${key}": `;
  return isMapping ? `${key}:\n${' '.repeat(column + 2)}` : `${key}: `;
}

function valueItems(
  document: PipelineDocument,
  context: Extract<CursorContext, { kind: 'value' }>,
  offset: number,
): CompletionItem[] {
  const range = rangeOf(document, context.from, offset);
  const quote = (text: string): string =>
    document.isJson && !context.inQuotes ? JSON.stringify(text) : text;
  const [top, stage, key] = context.path;
  if (top === 'stages' && key === 'needs' && context.path.length === 3) {
    return document
      .knownIds()
      .stages.filter((id) => id !== stage)
      .map((id) => ({
        label: id,
        kind: CompletionItemKind.Function,
        detail: 'stage',
        textEdit: { range, newText: quote(id) },
      }));
  }
  return valuesAt(context.path).map((value) => {
    const literal = value === 'true' || value === 'false';
    return {
      label: value,
      kind: literal ? CompletionItemKind.Value : CompletionItemKind.EnumMember,
      textEdit: { range, newText: literal ? value : quote(value) },
    };
  });
}

function expressionItems(
  document: PipelineDocument,
  context: Extract<CursorContext, { kind: 'expression' }>,
  offset: number,
  outputs: KnownOutputs,
): CompletionItem[] {
  const range = rangeOf(document, context.from, offset);
  const close = context.closed ? '' : ' }}';
  // Right after `${{` (completion triggered by its `{`), the space the form reads with comes too.
  const open = document.text.charAt(context.from - 1) === '{' ? ' ' : '';
  const item = (label: string, kind: CompletionItemKind, detail: string): CompletionItem => ({
    label,
    kind,
    detail,
    textEdit: { range, newText: `${open}${label}${close}` },
  });
  const items = document
    .knownIds()
    .inputs.map((id) => item(`inputs.${id}`, CompletionItemKind.Variable, 'input'));
  const [top, stage] = context.path;
  if (top !== 'stages' || stage === undefined) return items;
  for (const source of upstreamOf(document, stage)) {
    const names = outputs.get(source) ?? [];
    if (names.length === 0) {
      items.push(
        item(
          `stages.${source}.outputs.`,
          CompletionItemKind.Module,
          'no outputs recorded yet: run the pipeline once',
        ),
      );
    }
    for (const name of names) {
      items.push(
        item(
          `stages.${source}.outputs.${name}`,
          CompletionItemKind.Field,
          `written by ${source} in earlier runs`,
        ),
      );
    }
  }
  return items;
}

/** The stages `stage` needs, directly or not: the only ones whose outputs it may read. */
function upstreamOf(document: PipelineDocument, stage: string): string[] {
  const stages = document.tree === undefined ? undefined : valueOf(document.tree, 'stages');
  if (stages?.kind !== 'map') return document.knownIds().stages.filter((id) => id !== stage);
  const needsOf = (id: string): string[] => {
    const node = valueOf(stages, id);
    const needs = node === undefined ? undefined : valueOf(node, 'needs');
    const items = needs === undefined ? [] : needs.kind === 'seq' ? needs.items : [needs];
    return items.flatMap((n) =>
      n.kind === 'scalar' && typeof n.value === 'string' ? [n.value] : [],
    );
  };
  const found = new Set<string>();
  const visit = (id: string): void => {
    for (const need of needsOf(id)) {
      if (found.has(need) || need === stage) continue;
      found.add(need);
      visit(need);
    }
  };
  visit(stage);
  return [...found];
}

/** The keys already present in the mapping at `path`, so completion does not offer them twice. */
function existingKeys(tree: SourceNode | undefined, path: readonly string[]): string[] {
  let node: SourceNode | undefined = tree;
  for (const key of path) node = node === undefined ? undefined : valueOf(node, key);
  return node?.kind === 'map' ? node.entries.map((entry) => entry.key) : [];
}

function rangeOf(document: PipelineDocument, from: number, to: number): Range {
  return { start: document.positionAt(from), end: document.positionAt(to) };
}
