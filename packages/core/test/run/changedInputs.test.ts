import * as assert from 'node:assert/strict';
import type { InputSpec } from '../../src/index';
import { changedInputsOf } from '../../src/index';
import { pipelineOf, stageSpec } from './harness';

function input(id: string, over: Partial<InputSpec> = {}): InputSpec {
  return { id, type: 'text', ...over } as InputSpec;
}

describe('run: the inputs that tell two runs apart', () => {
  it('lists the inputs whose value differs from the default, in declaration order, no secrets', () => {
    const pipeline = pipelineOf([stageSpec('a')], {
      inputs: [
        input('same', { default: 'x' }),
        input('list', { type: 'multi', options: ['a', 'b'], default: ['a'] }),
        input('token', { secret: true }),
        input('unset', { default: 'd' }),
        input('count', { type: 'number', default: 1 }),
        input('free'),
      ],
    });
    assert.equal(changedInputsOf({ pipeline, inputs: {} }), undefined);
    assert.equal(
      changedInputsOf({ pipeline, inputs: { same: 'x', list: ['a'], count: 1, token: 's' } }),
      undefined,
      'values equal to their defaults (a list too) and secrets are not changes',
    );
    const changed = changedInputsOf({
      pipeline,
      inputs: { free: 'f', count: 2, list: ['a', 'b'], token: 's', same: 'x' },
    });
    assert.deepEqual(changed, { list: ['a', 'b'], count: 2, free: 'f' });
    assert.deepEqual(Object.keys(changed ?? {}), ['list', 'count', 'free']);
  });
});
