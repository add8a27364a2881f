import * as assert from 'node:assert/strict';
import { ancestorsOf, findCycles, topologicalOrder } from '../../src/pipeline/graph';

const stages = (spec: Record<string, string[]>) => ({
  stages: Object.entries(spec).map(([id, needs]) => ({ id, needs })),
});

describe('dependency graph', () => {
  it('orders stages after their needs, keeping declaration order for ties', () => {
    const order = topologicalOrder(stages({ report: ['b', 'a'], a: [], b: ['a'], c: [] }));
    assert.deepEqual(order, ['a', 'b', 'report', 'c']);
    assert.deepEqual(topologicalOrder(stages({ x: [], y: [], z: [] })), ['x', 'y', 'z']);
  });

  it('puts stages on a cycle last instead of looping', () => {
    assert.deepEqual(topologicalOrder(stages({ a: ['b'], b: ['a'], c: [] })), ['c', 'a', 'b']);
  });

  it('finds each cycle once, as a closed path from its first-declared stage', () => {
    const graph = new Map(Object.entries({ a: ['c'], b: ['a'], c: ['b'], d: ['d'], e: ['a'] }));
    assert.deepEqual(findCycles(graph), [
      ['a', 'c', 'b', 'a'],
      ['d', 'd'],
    ]);
    assert.deepEqual(findCycles(new Map(Object.entries({ a: [], b: ['a'] }))), []);
  });

  it('handles long chains without deep recursion', () => {
    const chain = new Map(
      Array.from({ length: 20_000 }, (_, i) => [`s${i}`, i === 0 ? [] : [`s${i - 1}`]]),
    );
    assert.deepEqual(findCycles(chain), []);
    assert.equal(ancestorsOf(chain, 's19999').size, 19_999);
  });

  it('lists transitive dependencies', () => {
    const graph = new Map(Object.entries({ a: [], b: ['a'], c: ['b'], d: [] }));
    assert.deepEqual([...ancestorsOf(graph, 'c')].sort(), ['a', 'b']);
    assert.deepEqual([...ancestorsOf(graph, 'd')], []);
  });
});
