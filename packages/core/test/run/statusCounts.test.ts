import * as assert from 'node:assert/strict';
import { plainState, stageStatusCounts } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

describe('run: stage status counts for summaries', () => {
  it('gives the same counts from a transition’s state as from a plain copy, without zeros', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => stageSpec(`s${i}`, { needs: ['root'] }));
    const run = new RunDriver(pipelineOf([stageSpec('root'), ...leaves], { concurrency: 2 }));
    run.start();
    run.exit('root');
    const expected = { succeeded: 1, running: 2, ready: 3 };
    assert.deepEqual(stageStatusCounts(run.state), expected);
    assert.deepEqual(stageStatusCounts(plainState(run.state)), expected);
  });
});
