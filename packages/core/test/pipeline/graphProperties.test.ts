import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NeedsGraph } from '../../src/pipeline/graph';
import { ancestorsOf, findCycles, needsGraph, topologicalOrder } from '../../src/pipeline/graph';

/**
 * Small needs graphs of up to 9 stages (`s0`…), with unknown ids (`ghost`),
 * self-needs, duplicates and cycles: everything validation may hand over.
 */
const graphs = fc
  .integer({ min: 0, max: 9 })
  .chain((size) =>
    fc.array(
      fc.array(
        fc.oneof(
          { weight: 9, arbitrary: fc.integer({ min: 0, max: Math.max(0, size - 1) }) },
          { weight: 1, arbitrary: fc.constant(-1) },
        ),
        { maxLength: 4 },
      ),
      { minLength: size, maxLength: size },
    ),
  )
  .map((needs) => ({
    stages: needs.map((list, i) => ({
      id: `s${i}`,
      needs: list.map((n) => (n < 0 ? 'ghost' : `s${n}`)),
    })),
  }));

/** Which ids each stage reaches along needs (one step or more; unknown ids too), by plain search. */
function reachability(graph: NeedsGraph): Map<string, Set<string>> {
  const reach = new Map<string, Set<string>>();
  for (const id of graph.keys()) {
    const seen = new Set<string>();
    const todo = [...(graph.get(id) ?? [])];
    while (todo.length > 0) {
      const next = todo.pop() ?? '';
      if (seen.has(next)) continue;
      seen.add(next);
      todo.push(...(graph.get(next) ?? []));
    }
    reach.set(id, seen);
  }
  return reach;
}

/** The length in steps of a shortest way from `start` back to itself, by breadth-first search. */
function shortestLoop(graph: NeedsGraph, start: string): number {
  let frontier = [start];
  const seen = new Set<string>();
  for (let steps = 1; frontier.length > 0; steps++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const need of graph.get(id) ?? []) {
        if (need === start) return steps;
        if (graph.has(need) && !seen.has(need)) {
          seen.add(need);
          next.push(need);
        }
      }
    }
    frontier = next;
  }
  return Infinity;
}

describe('dependency graph, against plain reference searches', () => {
  it('finds one shortest closed path per cycle, from its first-declared stage, in declaration order', () => {
    fc.assert(
      fc.property(graphs, (pipeline) => {
        const graph = needsGraph(pipeline);
        const ids = [...graph.keys()];
        const reach = reachability(graph);
        const onCycle = ids.filter((id) => reach.get(id)?.has(id));
        // The stages of one cycle group: those reaching each other.
        const groupOf = (id: string) =>
          onCycle.filter(
            (other) => other === id || (reach.get(id)?.has(other) && reach.get(other)?.has(id)),
          );
        const firsts = onCycle.filter((id) => groupOf(id)[0] === id);
        const cycles = findCycles(graph);
        assert.deepEqual(
          cycles.map((c) => c[0]),
          firsts,
        );
        for (const cycle of cycles) {
          const start = cycle[0] ?? '';
          assert.equal(cycle[cycle.length - 1], start);
          assert.equal(cycle.length - 1, shortestLoop(graph, start), JSON.stringify(cycle));
          for (let i = 0; i + 1 < cycle.length; i++) {
            assert.ok(
              graph.get(cycle[i] ?? '')?.includes(cycle[i + 1] ?? ''),
              JSON.stringify(cycle),
            );
          }
          const group = groupOf(start);
          assert.ok(
            cycle.every((id) => group.includes(id)),
            JSON.stringify(cycle),
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it('lists exactly the stages a stage reaches as its ancestors', () => {
    fc.assert(
      fc.property(graphs, (pipeline) => {
        const graph = needsGraph(pipeline);
        const reach = reachability(graph);
        for (const id of graph.keys()) {
          assert.deepEqual(
            [...ancestorsOf(graph, id)].sort(),
            [...(reach.get(id) ?? [])].sort(),
            id,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('orders stages after their needs, earliest-declared ready stage first, cycles last', () => {
    fc.assert(
      fc.property(graphs, (pipeline) => {
        const ids = pipeline.stages.map((s) => s.id);
        const needs = new Map(
          pipeline.stages.map((s) => [s.id, s.needs.filter((n) => ids.includes(n))]),
        );
        // Reference: repeatedly take the first declared stage whose known needs are all placed.
        const expected: string[] = [];
        for (;;) {
          const next = ids.find(
            (id) =>
              !expected.includes(id) && (needs.get(id) ?? []).every((n) => expected.includes(n)),
          );
          if (next === undefined) break;
          expected.push(next);
        }
        expected.push(...ids.filter((id) => !expected.includes(id)));
        assert.deepEqual(topologicalOrder(pipeline), expected);
      }),
      { numRuns: 400 },
    );
  });

  it('reports the cycles it finds in declaration order and takes the shortest way back', () => {
    // Tarjan's search finds c–d before b's self-need; the list is still in declaration order.
    const later = new Map(Object.entries({ a: ['c'], b: ['b'], c: ['d'], d: ['c'] }));
    assert.deepEqual(findCycles(later), [
      ['b', 'b'],
      ['c', 'd', 'c'],
    ]);
    const shortcut = new Map(Object.entries({ a: ['b', 'c'], b: ['c'], c: ['a'] }));
    assert.deepEqual(findCycles(shortcut), [['a', 'c', 'a']]);
    const back = new Map(Object.entries({ a: ['b'], b: ['c'], c: ['b', 'a'] }));
    assert.deepEqual(findCycles(back), [['a', 'b', 'c', 'a']]);
    assert.deepEqual([...ancestorsOf(back, 'a')].sort(), ['a', 'b', 'c']);
    assert.deepEqual(
      topologicalOrder({
        stages: [
          { id: 'a', needs: ['ghost'] },
          { id: 'b', needs: [] },
        ],
      }),
      ['a', 'b'],
    );
  });
});
