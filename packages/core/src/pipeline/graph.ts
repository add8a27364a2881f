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

/** Tarjan's algorithm, iterative so deep chains cannot overflow the stack. */
function stronglyConnected(graph: NeedsGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; needs: readonly string[]; next: number }[] = [
      { id: root, needs: knownNeeds(graph, root), next: 0 },
    ];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame === undefined) break;
      const child = frame.needs[frame.next++];
      if (child !== undefined) {
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ id: child, needs: knownNeeds(graph, child), next: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, index.get(child) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(frame.id) ?? 0));
      if (low.get(frame.id) === index.get(frame.id))
        components.push(popComponent(stack, onStack, frame.id));
    }
  }
  return components;
}

/** The needs of `id` that are stages of the graph (unknown ids are reported elsewhere). */
function knownNeeds(graph: NeedsGraph, id: string): readonly string[] {
  return (graph.get(id) ?? []).filter((need) => graph.has(need));
}

function popComponent(stack: string[], onStack: Set<string>, root: string): string[] {
  const component: string[] = [];
  for (;;) {
    const id = stack.pop();
    if (id === undefined) return component;
    onStack.delete(id);
    component.push(id);
    if (id === root) return component;
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
