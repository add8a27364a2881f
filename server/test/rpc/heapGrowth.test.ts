import * as assert from 'node:assert/strict';
import type * as Core from '@baton/core';
import {
  HeapGrowthPolicy,
  LARGE_RUN_HEAP_GROWING_PERCENT,
  LARGE_RUN_UNITS,
} from '../../src/rpc/heapGrowth';

/** The fields of a run state the policy reads: its id, status and how many stages and units it has. */
function runOf(runId: string, status: Core.RunStatus, units: number): Core.RunState {
  const stages = Array.from({ length: units }, (_, i) => ({ id: `s${i}` }));
  return { runId, status, pipeline: { stages } } as unknown as Core.RunState;
}

describe('rpc: the server bounds its heap growth while a large run is live', () => {
  it('bounds it when a run becomes large, keeps it while one is, and gives V8 its choice back after the last', () => {
    const set: number[] = [];
    const policy = new HeapGrowthPolicy((percent) => set.push(percent), []);
    policy.follow([runOf('a', 'running', 3)]);
    assert.deepEqual(set, [], 'a small run changes nothing');
    policy.follow([runOf('a', 'running', LARGE_RUN_UNITS)]);
    policy.follow([runOf('b', 'running', LARGE_RUN_UNITS + 5)]);
    assert.deepEqual(
      set,
      [LARGE_RUN_HEAP_GROWING_PERCENT],
      'set once, when the first run became large',
    );
    policy.follow([runOf('a', 'succeeded', LARGE_RUN_UNITS)]);
    assert.deepEqual(set, [LARGE_RUN_HEAP_GROWING_PERCENT], 'b is still live');
    policy.follow([runOf('b', 'interrupted', LARGE_RUN_UNITS + 5)]);
    assert.deepEqual(set, [LARGE_RUN_HEAP_GROWING_PERCENT, 0]);
  });

  it('leaves the heap alone when Node was given --heap-growing-percent', () => {
    const set: number[] = [];
    const policy = new HeapGrowthPolicy(
      (percent) => set.push(percent),
      ['--heap-growing-percent=20'],
    );
    policy.follow([runOf('a', 'running', LARGE_RUN_UNITS)]);
    assert.deepEqual(set, []);
  });
});
