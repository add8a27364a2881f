import * as assert from 'node:assert/strict';
import { changedStageIds, plainState, withStages } from '../../src/index';
import { pipelineOf, RunDriver, stageSpec } from './harness';

function started(): RunDriver {
  const run = new RunDriver(
    pipelineOf([
      stageSpec('list'),
      stageSpec('each', { needs: ['list'], foreach: '${{ stages.list.outputs.papers }}' }),
      stageSpec('after', { needs: ['list'] }),
    ]),
  );
  run.start();
  return run;
}

describe('run: the shared stages record, as a plain object would behave', () => {
  it('owns exactly its stages, with plain writable properties', () => {
    const { stages } = started().state;
    assert.equal(Object.hasOwn(stages, 'list'), true);
    assert.equal(Object.hasOwn(stages, 'nope'), false);
    assert.equal(Object.getOwnPropertyDescriptor(stages, 'nope'), undefined);
    assert.deepEqual(Object.getOwnPropertyDescriptor(stages, 'list'), {
      value: stages['list'],
      writable: true,
      enumerable: true,
      configurable: true,
    });
    assert.equal((stages as Record<string, unknown>)[''], undefined);
    assert.equal(typeof (stages as Record<string, unknown>)['toJSON'], 'function');
  });

  it('can be frozen twice', () => {
    const { stages } = started().state;
    Object.freeze(stages);
    Object.freeze(stages);
    assert.deepEqual(Object.keys(stages), ['list', 'each', 'after']);
  });

  it('adds stages to a new version only, keeping the base record’s keys', () => {
    const { stages } = started().state;
    const base = stages['list'];
    assert.ok(base !== undefined);
    const next = withStages(stages, [
      { ...base, id: 'x' },
      { ...base, id: 'y' },
    ]);
    assert.deepEqual(Object.keys(next), ['list', 'each', 'after', 'x', 'y']);
    assert.deepEqual(Reflect.ownKeys(stages), ['list', 'each', 'after']);
    assert.deepEqual(Reflect.ownKeys(next), ['list', 'each', 'after', 'x', 'y']);
    assert.equal(Object.hasOwn(stages, 'x'), false);
  });

  it('names changed stages in declaration order, with a fan-out’s units before later stages', () => {
    const run = started();
    const before = run.state;
    run.exit('list', 0, { outputs: { papers: '["a","b"]' } });
    // Units are stored after `after`, but declared where their stage was.
    assert.deepEqual(Object.keys(run.state.stages).slice(-2), ['each[a]', 'each[b]']);
    const order = run.state.pipeline.stages.map((s) => s.id);
    assert.deepEqual(order, ['list', 'each[a]', 'each[b]', 'each', 'after']);
    assert.deepEqual(changedStageIds(before, run.state), order);
    assert.equal(changedStageIds(before, plainState(run.state)), undefined);
  });
});
