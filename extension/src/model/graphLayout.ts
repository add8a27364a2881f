/**
 * Where the boxes of a pipeline graph go. Small graphs get dagre's layered
 * layout (few crossings, routed edges); past `DAGRE_LIMIT` boxes dagre takes
 * seconds (2.3 s at 1,000 boxes, about 5.5 s at 3,000 on the test machine,
 * growing faster than linearly), which would freeze the panel, so large
 * graphs get a plain layered layout of our own that is linear in boxes and
 * edges: columns by longest path from the sources, rows ordered by the
 * average row of what each box needs (one sweep), straight edges. A layout
 * depends only on the graph's shape, so it is kept per shape and a status
 * change never lays the graph out again.
 */
import type * as Dagre from '@dagrejs/dagre' with { 'resolution-mode': 'import' };

// dagre ships its types as an ES module beside a CommonJS build (`exports.require`);
// this CommonJS file loads the CommonJS build and takes only the types from the ESM side.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dagre = require('@dagrejs/dagre') as typeof Dagre;

/** Boxes up to this many are laid out by dagre; more by `layeredLayout`. */
export const DAGRE_LIMIT = 300;

/** A box's size, the same for every box. */
export const BOX_WIDTH = 180;
export const BOX_HEIGHT = 56;
const ROW_GAP = 20;
const COLUMN_GAP = 64;
const MARGIN = 16;

/** A box to place: its id and the ids it needs. */
export interface LayoutInput {
  readonly id: string;
  readonly needs: readonly string[];
}

/** A point of an edge. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where each box goes (centres) and how each edge runs. */
export interface Layout {
  readonly positions: ReadonlyMap<string, Point>;
  readonly edges: readonly {
    readonly from: string;
    readonly to: string;
    readonly points: readonly Point[];
  }[];
  readonly width: number;
  readonly height: number;
}

/** The shape of a graph as one string: equal shapes have equal layouts. */
export function shapeKey(boxes: readonly LayoutInput[]): string {
  return boxes.map((box) => `${box.id}<${box.needs.join(',')}`).join('\n');
}

/** The last layouts made, by shape (a few: one per open panel is the common case). */
const cache = new Map<string, Layout>();
const CACHED_LAYOUTS = 8;

/** The layout of `boxes`, made once per shape. */
export function layoutOf(boxes: readonly LayoutInput[]): Layout {
  const key = shapeKey(boxes);
  const known = cache.get(key);
  if (known) return known;
  const layout = boxes.length <= DAGRE_LIMIT ? dagreLayout(boxes) : layeredLayout(boxes);
  cache.set(key, layout);
  if (cache.size > CACHED_LAYOUTS) cache.delete(cache.keys().next().value!);
  return layout;
}

/** dagre's layered layout, left to right by needs. */
export function dagreLayout(boxes: readonly LayoutInput[]): Layout {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 56, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set(boxes.map((box) => box.id));
  for (const box of boxes) graph.setNode(box.id, { width: BOX_WIDTH, height: BOX_HEIGHT });
  for (const box of boxes)
    for (const need of box.needs) if (known.has(need)) graph.setEdge(need, box.id);
  dagre.layout(graph);
  const positions = new Map<string, Point>();
  for (const box of boxes) {
    const placed = graph.node(box.id) as { x: number; y: number };
    positions.set(box.id, { x: placed.x, y: placed.y });
  }
  const edges = graph.edges().map((edge: Dagre.Edge) => ({
    from: edge.v,
    to: edge.w,
    points: (graph.edge(edge) as { points?: Point[] }).points ?? [],
  }));
  const size = graph.graph() as { width?: number; height?: number };
  return { positions, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

/** Each box's column: the length of the longest chain of needs before it (cycles are cut). */
function columns(boxes: readonly LayoutInput[]): Map<string, number> {
  const byId = new Map(boxes.map((box) => [box.id, box]));
  const column = new Map<string, number>();
  const visiting = new Set<string>();
  // Iterative depth-first walk, so a 10,000-stage chain cannot overflow the stack.
  for (const start of boxes) {
    if (column.has(start.id)) continue;
    const stack: { id: string; next: number }[] = [{ id: start.id, next: 0 }];
    visiting.add(start.id);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const needs = byId.get(top.id)?.needs ?? [];
      if (top.next < needs.length) {
        const need = needs[top.next++]!;
        if (byId.has(need) && !column.has(need) && !visiting.has(need)) {
          visiting.add(need);
          stack.push({ id: need, next: 0 });
        }
        continue;
      }
      let at = 0;
      for (const need of needs) {
        const before = column.get(need);
        if (before !== undefined) at = Math.max(at, before + 1);
      }
      column.set(top.id, at);
      visiting.delete(top.id);
      stack.pop();
    }
  }
  return column;
}

/** The linear layered layout of large graphs (see the file comment). */
export function layeredLayout(boxes: readonly LayoutInput[]): Layout {
  const column = columns(boxes);
  const rowsOf: string[][] = [];
  const row = new Map<string, number>();
  // Columns in order; within one, by the average row of its needs (declaration order breaks ties).
  const order = boxes.map((box, index) => ({ box, index, column: column.get(box.id) ?? 0 }));
  order.sort((a, b) => a.column - b.column || a.index - b.index);
  let current = -1;
  let pending: { id: string; weight: number; index: number }[] = [];
  const flush = (): void => {
    pending.sort((a, b) => a.weight - b.weight || a.index - b.index);
    const ids = pending.map((p) => p.id);
    ids.forEach((id, i) => row.set(id, i));
    rowsOf.push(ids);
    pending = [];
  };
  for (const { box, index, column: at } of order) {
    if (at !== current) {
      if (current >= 0) flush();
      while (rowsOf.length < at) rowsOf.push([]);
      current = at;
    }
    const rows = box.needs.flatMap((need) => {
      const r = row.get(need);
      return r === undefined ? [] : [r];
    });
    const weight = rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : index;
    pending.push({ id: box.id, weight, index });
  }
  if (pending.length > 0) flush();
  const positions = new Map<string, Point>();
  let tallest = 0;
  rowsOf.forEach((ids, c) => {
    tallest = Math.max(tallest, ids.length);
    ids.forEach((id, r) =>
      positions.set(id, {
        x: MARGIN + c * (BOX_WIDTH + COLUMN_GAP) + BOX_WIDTH / 2,
        y: MARGIN + r * (BOX_HEIGHT + ROW_GAP) + BOX_HEIGHT / 2,
      }),
    );
  });
  const edges = boxes.flatMap((box) => {
    const to = positions.get(box.id);
    if (!to) return [];
    return box.needs.flatMap((need) => {
      const from = positions.get(need);
      if (!from) return [];
      const points = [
        { x: from.x + BOX_WIDTH / 2, y: from.y },
        { x: to.x - BOX_WIDTH / 2, y: to.y },
      ];
      return [{ from: need, to: box.id, points }];
    });
  });
  return {
    positions,
    edges,
    width: 2 * MARGIN + rowsOf.length * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: 2 * MARGIN + tallest * (BOX_HEIGHT + ROW_GAP) - ROW_GAP,
  };
}
