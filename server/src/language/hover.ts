/**
 * Hover in pipeline files: a key's documentation and type (from the schema);
 * on a stage id, what it needs and its last run; on an input id, its question.
 */
import type { Hover } from 'vscode-languageserver-types';
import type { SourceNode } from '@baton/core';
import { formatDuration } from '../cli/terminalFormat';
import type { PipelineDocument } from './pipelineDocument';
import { occurrenceAt, valueOf, type SymbolOccurrence } from './pipelineSymbols';
import type { StageRunSummary } from './runHistory';
import { keyDocAt } from './schemaDocs';

/** Each stage's last run, by stage id. */
export type LastStageRuns = ReadonlyMap<string, StageRunSummary>;

/** The hover at `offset`, or undefined when there is nothing to say. `now` times a running stage. */
export function hoverAt(
  document: PipelineDocument,
  offset: number,
  lastRuns: LastStageRuns,
  now: number,
): Hover | undefined {
  const occurrence = occurrenceAt(document.symbols, offset);
  if (occurrence !== undefined) {
    const value =
      occurrence.kind === 'stage'
        ? stageText(document, occurrence.name, lastRuns.get(occurrence.name), now)
        : inputText(document, occurrence.name);
    return markdown(value, document, occurrence);
  }
  const key = keyAt(document.tree, offset, []);
  if (key === undefined) return undefined;
  const doc = keyDocAt(key.path);
  if (doc === undefined) return undefined;
  return {
    contents: { kind: 'markdown', value: `**${doc.key}**: \`${doc.type}\`\n\n${doc.description}` },
    range: document.rangeOf(key.range),
  };
}

/** Whether the hover at `offset` is about a stage (and so needs its last runs read). */
export function isOnStage(document: PipelineDocument, offset: number): boolean {
  return occurrenceAt(document.symbols, offset)?.kind === 'stage';
}

function markdown(value: string, document: PipelineDocument, at: SymbolOccurrence): Hover {
  return { contents: { kind: 'markdown', value }, range: document.rangeOf(at.range) };
}

function stageText(
  document: PipelineDocument,
  id: string,
  last: StageRunSummary | undefined,
  now: number,
): string {
  const stage = stageNode(document, id);
  const needs = stage === undefined ? [] : scalarList(valueOf(stage, 'needs'));
  const head = `**stage \`${id}\`**${needs.length > 0 ? ` · needs ${needs.map((n) => `\`${n}\``).join(', ')}` : ''}`;
  return `${head}\n\n${lastRunText(last, now)}`;
}

/** "Last run: succeeded in 2.3s (attempt 2, run `…`)", or "Not run yet." */
export function lastRunText(last: StageRunSummary | undefined, now: number): string {
  if (last === undefined) return 'Not run yet.';
  const started = last.startedAt ?? now;
  const ended = last.endedAt;
  const duration = formatDuration(Math.max(0, (ended ?? now) - started));
  const timing =
    ended === undefined ? `${last.status} for ${duration}` : `${last.status} in ${duration}`;
  const attempt = last.attempt > 1 ? `attempt ${last.attempt}, ` : '';
  return `Last run: ${timing} (${attempt}run \`${last.runId}\`)`;
}

function inputText(document: PipelineDocument, id: string): string {
  const inputs = document.tree === undefined ? undefined : valueOf(document.tree, 'inputs');
  const input = inputs === undefined ? undefined : valueOf(inputs, id);
  const field = (key: string): string | undefined => {
    const node = input === undefined ? undefined : valueOf(input, key);
    return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
  };
  const type = field('type') ?? 'text';
  const lines = [`**input \`${id}\`**: \`${type}\``];
  const prompt = field('prompt');
  if (prompt !== undefined) lines.push(prompt);
  const fallback = field('default');
  if (fallback !== undefined && field('secret') !== 'true') lines.push(`Default: \`${fallback}\``);
  return lines.join('\n\n');
}

function stageNode(document: PipelineDocument, id: string): SourceNode | undefined {
  const stages = document.tree === undefined ? undefined : valueOf(document.tree, 'stages');
  return stages === undefined ? undefined : valueOf(stages, id);
}

function scalarList(node: SourceNode | undefined): string[] {
  const items = node === undefined ? [] : node.kind === 'seq' ? node.items : [node];
  return items.flatMap((i) => (i.kind === 'scalar' && i.value !== null ? [String(i.value)] : []));
}

/** The key whose name covers `offset`, with its path from the top. */
function keyAt(
  node: SourceNode | undefined,
  offset: number,
  path: readonly string[],
): { path: string[]; range: { start: number; end: number } } | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (entry.keyRange.start <= offset && offset <= entry.keyRange.end)
        return { path: [...path, entry.key], range: entry.keyRange };
      const inner = contains(entry.value, offset)
        ? keyAt(entry.value, offset, [...path, entry.key])
        : undefined;
      if (inner !== undefined) return inner;
    }
  }
  if (node.kind === 'seq') {
    for (const [index, item] of node.items.entries()) {
      const inner = contains(item, offset)
        ? keyAt(item, offset, [...path, String(index)])
        : undefined;
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}

function contains(node: SourceNode, offset: number): boolean {
  return node.range.start <= offset && offset <= node.range.end;
}
