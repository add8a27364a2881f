import * as assert from 'node:assert/strict';
import { PositionHeap } from '../../src/run/positionHeap';
import { PositionQueue } from '../../src/run/positionQueue';

/** A fixed pseudo-random sequence (a linear congruential generator), so a failure repeats. */
function positions(count: number, range: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x % range;
  });
}

/** Pops a heap until it is empty, checking `size` on the way. */
function drain(heap: PositionHeap): number[] {
  const out: number[] = [];
  while (heap.size > 0) {
    const before = heap.size;
    const top = heap.pop();
    assert.ok(top !== undefined, 'a heap with a size pops a position');
    assert.equal(heap.size, before - 1, 'each pop removes one position');
    out.push(top);
  }
  return out;
}

describe('run: the position heap and queue of the scheduler', () => {
  it('pops every pushed position, repeats included, smallest first', () => {
    for (const [count, range, seed] of [
      [1, 5, 1],
      [2, 5, 2],
      [3, 5, 3],
      [7, 4, 4],
      [64, 1000, 5],
      [200, 20, 6],
    ] as const) {
      const heap = new PositionHeap();
      const pushed = positions(count, range, seed);
      for (const p of pushed) heap.push(p);
      assert.equal(heap.size, count);
      assert.deepEqual(
        drain(heap),
        [...pushed].sort((a, b) => a - b),
        `${count} positions below ${range}`,
      );
      assert.equal(heap.pop(), undefined, 'an empty heap pops nothing');
      assert.equal(heap.size, 0);
    }
  });

  it('keeps its order when pushes and pops interleave', () => {
    const heap = new PositionHeap();
    const model: number[] = [];
    positions(300, 50, 7).forEach((p, i) => {
      heap.push(p);
      model.push(p);
      if (i % 3 === 2) {
        model.sort((a, b) => a - b);
        assert.equal(heap.pop(), model.shift());
      }
    });
    assert.deepEqual(
      drain(heap),
      model.sort((a, b) => a - b),
    );
  });

  it('pops the smaller child when a larger tail sinks (descending pushes)', () => {
    const heap = new PositionHeap();
    for (const p of [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]) heap.push(p);
    assert.deepEqual(drain(heap), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('returns each queued position once, in order, however often it was pushed', () => {
    const queue = new PositionQueue();
    assert.equal(queue.isEmpty, true);
    assert.equal(queue.pop(), undefined);
    for (const p of [5, 2, 5, 2, 9, 2]) queue.push(p);
    assert.equal(queue.isEmpty, false);
    assert.equal(queue.pop(), 2);
    // A pass only pushes positions after the one it looks at.
    queue.push(7);
    queue.push(7);
    assert.equal(queue.pop(), 5);
    assert.equal(queue.pop(), 7);
    assert.equal(queue.pop(), 9);
    assert.equal(queue.isEmpty, true);
    assert.equal(queue.pop(), undefined);
  });

  it('returns position 0, and skips a copy of the position it just returned', () => {
    const queue = new PositionQueue();
    queue.push(0);
    queue.push(0);
    assert.equal(queue.pop(), 0);
    assert.equal(queue.pop(), undefined);
    queue.push(3);
    assert.equal(queue.pop(), 3);
    queue.push(4);
    queue.push(3);
    assert.equal(queue.pop(), 4, 'the 3 just returned is a repeat');
    assert.equal(queue.isEmpty, true);
    queue.push(3);
    assert.equal(queue.pop(), 3, 'after a 4, a 3 is new again');
  });
  it('returns any first position, 1 included, and skips copies of the last one returned even after running empty', () => {
    const queue = new PositionQueue();
    queue.push(1);
    assert.equal(queue.pop(), 1);
    assert.equal(queue.pop(), undefined);
    queue.push(1);
    assert.equal(queue.pop(), undefined, 'a copy of the position last returned');
    assert.equal(queue.isEmpty, true);
  });
});
