import * as assert from 'node:assert/strict';
import { createRun, InvalidSelectionError } from '../../src/index';
import type { CreateRunOptions } from '../../src/index';
import { pipelineOf, stageSpec } from './harness';

function create(over: Partial<CreateRunOptions>) {
  return () =>
    createRun({
      runId: 'r',
      pipeline: pipelineOf([stageSpec('a')]),
      at: 0,
      interactive: false,
      defaultConcurrency: 1,
      ...over,
    });
}

describe('run: creating a run that cannot run', () => {
  it('lists every unknown stage of a selection in one InvalidSelectionError', () => {
    assert.throws(create({ selection: { stages: ['x', 'y'] } }), (error: unknown) => {
      assert.ok(error instanceof InvalidSelectionError);
      assert.equal(error.name, 'InvalidSelectionError');
      assert.deepEqual(error.problems, [
        "no stage 'x' in test.pipeline.yaml; its stages are a",
        "no stage 'y' in test.pipeline.yaml; its stages are a",
      ]);
      assert.equal(error.message, error.problems.join('; '));
      return true;
    });
  });

  it('names every problem of a stage graph in one message', () => {
    const pipeline = pipelineOf([stageSpec('a', { needs: ['z'] }), stageSpec('a')]);
    assert.throws(create({ pipeline }), {
      message:
        "pipeline 'test' cannot run: stage 'a' is declared twice; stage 'a' needs 'z', which does not exist",
    });
  });
});
