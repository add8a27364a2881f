import type { GraphBoxLook, GraphModel, GraphNode } from './graphModel';

/** What a graph panel posts: the whole graph, or only the boxes whose look changed. */
export type GraphMessage =
  | { readonly type: 'graph'; readonly graph: GraphModel }
  | { readonly type: 'update'; readonly nodes: readonly GraphBoxLook[] };

/**
 * The message that brings a webview from `last` to `next`. The layout is
 * kept per shape (`graphLayout.ts`), so the same edges array means the same
 * layout: then only boxes whose look changed travel (a 10,000-stage graph
 * posts a few boxes per change, not megabytes). Undefined when nothing changed.
 */
export function graphMessage(
  last: GraphModel | undefined,
  next: GraphModel,
): GraphMessage | undefined {
  if (!last || !sameLayout(last, next)) return { type: 'graph', graph: next };
  const nodes: GraphBoxLook[] = [];
  next.nodes.forEach((node, index) => {
    const before = last.nodes[index];
    if (!before || !sameLook(before, node)) nodes.push(lookOf(node));
  });
  return nodes.length > 0 ? { type: 'update', nodes } : undefined;
}

function sameLayout(a: GraphModel, b: GraphModel): boolean {
  return (
    a.edges === b.edges &&
    a.nodes.length === b.nodes.length &&
    a.title === b.title &&
    a.runId === b.runId &&
    a.active === b.active &&
    a.unsaved === b.unsaved &&
    a.problems === undefined &&
    b.problems === undefined &&
    a.nodes.every((node, index) => node.key === b.nodes[index]?.key)
  );
}

function sameLook(a: GraphNode, b: GraphNode): boolean {
  return (
    a.word === b.word &&
    a.detail === b.detail &&
    a.tone === b.tone &&
    a.retryable === b.retryable &&
    a.failedItems === b.failedItems &&
    a.fanOut === b.fanOut &&
    a.items?.done === b.items?.done &&
    a.items?.failed === b.items?.failed &&
    a.items?.running === b.items?.running &&
    a.items?.queued === b.items?.queued
  );
}

function lookOf(node: GraphNode): GraphBoxLook {
  const { x: _x, y: _y, width: _w, height: _h, ...look } = node;
  return look;
}
