import * as assert from 'node:assert/strict';
import { pipelineIndex } from '../../src/index';
import { pipelineOf, stageSpec } from './harness';

describe('run: the look-up tables of a pipeline', () => {
  it('indexes each stage by id once (the first declaration wins), with its position', () => {
    const first = stageSpec('a', { run: 'first' });
    const pipeline = pipelineOf([first, stageSpec('b'), stageSpec('a', { run: 'second' })]);
    const index = pipelineIndex(pipeline);
    assert.equal(index.specs.get('a'), first);
    assert.deepEqual(
      [...index.positions],
      [
        ['a', 0],
        ['b', 1],
      ],
    );
    assert.equal(pipelineIndex(pipeline), index, 'built once per pipeline object');
    assert.notEqual(pipelineIndex({ ...pipeline }), index);
  });

  it('lists the dependants of each stage in declaration order, each once', () => {
    const pipeline = pipelineOf([
      stageSpec('root'),
      stageSpec('x', { needs: ['root', 'root'] }),
      stageSpec('y', { needs: ['x', 'root'] }),
      stageSpec('x', { needs: ['y'] }),
    ]);
    const { dependants } = pipelineIndex(pipeline);
    assert.deepEqual(
      [...dependants],
      [
        ['root', ['x', 'y']],
        ['x', ['y']],
      ],
    );
  });
});
