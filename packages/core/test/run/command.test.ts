import * as assert from 'node:assert/strict';
import { buildCommand, expressionContext, stagesReadBy } from '../../src/run/command';
import type { RunState } from '../../src/index';
import { pipelineOf, stageSpec } from './harness';

const stages = {
  a: { outputs: { o: '1', p: '2' } },
  b: { outputs: { y: 'Y' } },
  c: { outputs: { z: 'Z' } },
  d: { outputs: { w: 'W' } },
} as unknown as RunState['stages'];

describe("run: a stage's command line", () => {
  const pipeline = pipelineOf([], {
    env: { P: '${{ stages.b.outputs.y }}', SHARED: 'pipeline' },
  });
  const spec = stageSpec('s', {
    run: 'x ${{ stages.a.outputs.o }} ${{ stages.a.outputs.p }} ${{ inputs.i }}',
    env: { E: '${{ stages.c.outputs.z }}', SHARED: 'stage' },
    cwd: '${{ stages.d.outputs.w }}/x',
  });

  it('finds the stages its command, cwd and environment read, each once, and remembers them', () => {
    const read = stagesReadBy(pipeline, spec);
    assert.deepEqual(read, ['a', 'b', 'c', 'd']);
    assert.equal(stagesReadBy(pipeline, spec), read, 'found once per declaration');
    const other = pipelineOf([], { env: {} });
    assert.deepEqual(stagesReadBy(other, spec), ['a', 'c', 'd'], 'another pipeline, found again');
  });

  it('builds the outputs table once, of the readable stages that exist', () => {
    const ctx = expressionContext({}, stages, ['a', 'zz', 'constructor']);
    const table = ctx.stageOutputs;
    assert.deepEqual(Object.keys(table), ['a']);
    assert.equal(ctx.stageOutputs, table);
  });

  it('substitutes the command, cwd and environment: the stage overrides the pipeline', () => {
    const ctx = expressionContext({ i: 'I' }, stages, ['a', 'b', 'c', 'd']);
    assert.deepEqual(buildCommand(pipeline, spec, ctx), {
      ok: true,
      command: 'x ${BATON_OUT_A__O} ${BATON_OUT_A__P} ${BATON_INPUT_I}',
      cwd: 'W/x',
      env: {
        P: 'Y',
        SHARED: 'stage',
        E: 'Z',
        BATON_OUT_A__O: '1',
        BATON_OUT_A__P: '2',
        BATON_INPUT_I: 'I',
      },
    });
  });

  it("gives a unit its item, index and matrix values, which the stage's env cannot shadow", () => {
    const unit = stageSpec('m[linux]', {
      run: 'r ${{ item }} ${{ matrix.os }} ${{ stages.a.outputs.o }}',
      env: { BATON_ITEM: 'mine', BATON_ITEM_INDEX: 'mine', BATON_MATRIX_OS: 'mine' },
      unit: { stage: 'm', item: 'it', index: 2, matrix: { os: 'linux' } },
    });
    const built = buildCommand(pipeline, unit, expressionContext({}, stages, ['a', 'b']));
    assert.deepEqual(built, {
      ok: true,
      command: 'r ${BATON_ITEM} ${BATON_MATRIX_OS} ${BATON_OUT_A__O}',
      env: {
        BATON_ITEM: 'it',
        BATON_ITEM_INDEX: '2',
        BATON_MATRIX_OS: 'linux',
        P: 'Y',
        SHARED: 'pipeline',
        BATON_OUT_A__O: '1',
      },
    });
    const plain = stageSpec('f[x]', {
      run: 'r ${{ item }}',
      unit: { stage: 'f', item: 'x', index: 0 },
    });
    const env = buildCommand(pipelineOf([]), plain, expressionContext({}, stages, []));
    assert.deepEqual(env, {
      ok: true,
      command: 'r ${BATON_ITEM}',
      env: { BATON_ITEM: 'x', BATON_ITEM_INDEX: '0' },
    });
  });

  it('lists every value it cannot substitute, saying where', () => {
    const broken = stageSpec('s', {
      run: '${{ stages.zz.outputs.q }}',
      env: { A: '${{ inputs.nope }}' },
      cwd: '${{ inputs.nah }}',
    });
    assert.deepEqual(buildCommand(pipelineOf([]), broken, expressionContext({}, stages, [])), {
      ok: false,
      errors: [
        'env A: input "nope" has no value',
        'run: stage "zz" produced no output "q"',
        'cwd: input "nah" has no value',
      ],
    });
  });
});
