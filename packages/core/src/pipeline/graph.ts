/**
 * Pure graph helpers over the `needs` relation: cycles, order and ancestry.
 * They tolerate unknown ids and cycles, so validation can use them on files
 * that are still broken.
 */

/** The part of a pipeline the graph helpers read (any `{ stages: [{ id, needs }] }` will do). */
export interface StageGraphSource {
  readonly stages: readonly { readonly id: string; readonly needs: readonly string[] }[];
}

/** Stage id → the ids it needs. */
export type NeedsGraph = ReadonlyMap<string, readonly string[]>;

/** The needs graph of a pipeline. */
export function needsGraph(pipeline: StageGraphSource): NeedsGraph {
  return new Map(pipeline.stages.map((s) => [s.id, s.needs]));
}

/**
 * Every dependency cycle, one per strongly connected component, each as a
 * closed path starting at the component's first-declared stage
 * (`['a', 'b', 'c', 'a']`). Self-dependencies are cycles of length one.
 */
export function findCycles(graph: NeedsGraph): string[][] {
  const position = new Map([...graph.keys()].map((id, i) => [id, i]));
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph)) {
    const [only] = component;
    if (component.length === 1 && only !== undefined && graph.get(only)?.includes(only) !== true)
      continue;
    const first = component.reduce((a, b) =>
      (position.get(a) ?? 0) <= (position.get(b) ?? 0) ? a : b,
    );
    const selfLoop = graph.get(first)?.includes(first) === true;
    cycles.push(selfLoop ? [first, first] : pathBack(graph, first, new Set(component)));
  }
  return cycles.sort((a, b) => (position.get(a[0] ?? '') ?? 0) - (position.get(b[0] ?? '') ?? 0));
}

/**
 * Tarjan's algorithm, iterative so deep chains cannot overflow the stack.
 * Stages are numbered and kept in typed arrays: pipelines of thousands of
 * stages go through here twice on their way to a run.
 */
function stronglyConnected(graph: NeedsGraph): string[][] {
  const ids = [...graph.keys()];
  const numberOf = new Map(ids.map((id, i) => [id, i]));
  // Unknown ids are reported elsewhere; here they are left out.
  const needs = ids.map((id) => (graph.get(id) ?? []).flatMap((need) => numberOf.get(need) ?? []));
  const index = new Int32Array(ids.length).fill(-1);
  const low = new Int32Array(ids.length);
  const onStack = new Uint8Array(ids.length);
  const stack: number[] = [];
  const path: number[] = [];
  const nextNeed: number[] = [];
  const components: string[][] = [];
  let counter = 0;
  const enter = (stage: number) => {
    index[stage] = counter;
    low[stage] = counter++;
    stack.push(stage);
    onStack[stage] = 1;
    path.push(stage);
    nextNeed.push(0);
  };
  for (let root = 0; root < ids.length; root++) {
    if (index[root] !== -1) continue;
    enter(root);
    while (path.length > 0) {
      const top = path.length - 1;
      const stage = path[top] ?? 0;
      const need = needs[stage]?.[nextNeed[top] ?? 0];
      nextNeed[top] = (nextNeed[top] ?? 0) + 1;
      if (need !== undefined) {
        if (index[need] === -1) enter(need);
        else if (onStack[need] === 1) low[stage] = Math.min(low[stage] ?? 0, index[need] ?? 0);
        continue;
      }
      path.pop();
      nextNeed.pop();
      const parent = path[path.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] ?? 0, low[stage] ?? 0);
      if (low[stage] === index[stage]) components.push(popComponent(stack, onStack, stage, ids));
    }
  }
  return components;
}

function popComponent(
  stack: number[],
  onStack: Uint8Array,
  root: number,
  ids: readonly string[],
): string[] {
  const component: string[] = [];
  for (;;) {
    const stage = stack.pop();
    if (stage === undefined) return component;
    onStack[stage] = 0;
    component.push(ids[stage] ?? '');
    if (stage === root) return component;
  }
}

/** A shortest path from `start` along needs back to `start`, inside one component. */
function pathBack(graph: NeedsGraph, start: string, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] ?? start;
    for (const next of graph.get(id) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) return [...unwind(previous, id, start), start];
      if (!previous.has(next)) {
        previous.set(next, id);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function unwind(previous: ReadonlyMap<string, string>, last: string, start: string): string[] {
  const path = [last];
  let at = last;
  while (at !== start) {
    at = previous.get(at) ?? start;
    path.unshift(at);
  }
  return path;
}

/**
 * Every stage `id` depends on directly or indirectly (not including itself
 * unless it is on a cycle).
 */
export function ancestorsOf(graph: NeedsGraph, id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...(graph.get(id) ?? [])];
  for (let i = 0; i < queue.length; i++) {
    const next = queue[i];
    if (next === undefined || seen.has(next)) continue;
    seen.add(next);
    queue.push(...(graph.get(next) ?? []));
  }
  return seen;
}

/**
 * Stage ids in an order where every stage comes after the stages it needs;
 * ties keep declaration order, so the result is stable. Stages on a cycle
 * (only possible for unvalidated input) come last, in declaration order.
 */
export function topologicalOrder(pipeline: StageGraphSource): string[] {
  const ids = pipeline.stages.map((s) => s.id);
  const position = new Map(ids.map((id, i) => [id, i]));
  const waitingOn = new Map<string, number>();
  const dependants = new Map<string, string[]>();
  for (const stage of pipeline.stages) {
    const known = [...new Set(stage.needs)].filter((need) => position.has(need));
    waitingOn.set(stage.id, known.length);
    for (const need of known) dependants.set(need, [...(dependants.get(need) ?? []), stage.id]);
  }
  // `ready` holds declaration indexes, kept sorted so the earliest-declared ready stage goes next.
  const ready = ids.flatMap((id, i) => (waitingOn.get(id) === 0 ? [i] : []));
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ids[ready.shift() ?? 0] ?? '';
    order.push(id);
    for (const dependant of dependants.get(id) ?? []) {
      const left = (waitingOn.get(dependant) ?? 1) - 1;
      waitingOn.set(dependant, left);
      if (left === 0) insertSorted(ready, position.get(dependant) ?? 0);
    }
  }
  const placed = new Set(order);
  return [...order, ...ids.filter((id) => !placed.has(id))];
}

function insertSorted(list: number[], value: number): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((list[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  list.splice(low, 0, value);
}
