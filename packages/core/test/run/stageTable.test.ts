import * as assert from 'node:assert/strict';
import { changedStageIds, plainState, transition } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

/** A root and `count` stages that need it: more than one chunk of the stage table. */
function wide(count: number): RunDriver {
  const leaves = Array.from({ length: count }, (_, i) => stageSpec(`s${i}`, { needs: ['root'] }));
  return new RunDriver(pipelineOf([stageSpec('root'), ...leaves], { concurrency: 2 }));
}

describe('run: the shared stages record', () => {
  it('reads, spreads and serialises like a plain object, and refuses writes', () => {
    const run = wide(150);
    run.start();
    run.exit('root');
    const stages = run.state.stages;
    const plain = plainState(run.state).stages;
    assert.deepEqual(Object.keys(stages), Object.keys(plain));
    assert.deepEqual(JSON.parse(JSON.stringify(stages)), JSON.parse(JSON.stringify(plain)));
    assert.deepEqual({ ...stages }, plain);
    assert.equal('s149' in stages, true);
    assert.equal('nope' in stages, false);
    assert.equal(stages['s149'], plain['s149']);
    assert.throws(() => {
      (stages as Record<string, unknown>)['s0'] = undefined;
    }, TypeError);
    assert.throws(() => {
      delete (stages as Record<string, unknown>)['s0'];
    }, TypeError);
    assert.equal(Object.isFrozen(Object.freeze(stages)), true);
    assert.deepEqual({ ...stages }, plain, 'a frozen record keeps its entries');
  });

  it('names the stages an event changed, in declaration order, and leaves the state before alone', () => {
    const run = wide(150);
    run.start();
    run.exit('root');
    const before = run.state;
    const copy = JSON.stringify(before);
    const { state: after } = transition(before, {
      type: 'stageExited',
      stage: 's0',
      attempt: 1,
      exitCode: 0,
      random: 0.5,
      at: run.now,
    });
    assert.equal(JSON.stringify(before), copy);
    assert.deepEqual(changedStageIds(before, after), ['s0', 's2']);
    const walked = after.pipeline.stages
      .map((spec) => spec.id)
      .filter((id) => before.stages[id] !== after.stages[id]);
    assert.deepEqual(walked, ['s0', 's2']);
    assert.equal(changedStageIds(plainState(before), after), undefined);
  });
});
