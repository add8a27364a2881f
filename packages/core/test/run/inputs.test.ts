import * as assert from 'node:assert/strict';
import { checkInputs, InvalidInputsError } from '../../src/index';
import { pipelineOf, stageSpec } from './harness';

describe('run: input values given up front', () => {
  const pipeline = pipelineOf([stageSpec('a')], {
    inputs: [
      { id: 'name', prompt: 'Name?', type: 'text' },
      { id: 'n', prompt: 'N?', type: 'number' },
      { id: 'tags', prompt: 'Tags?', type: 'multi', options: ['a', 'b'] },
    ],
  });

  it('keeps text as given, parses a string for another type, and takes a typed value as is', () => {
    assert.deepEqual(checkInputs(pipeline, { name: ' 3 ', n: 4, tags: 'b, a' }), {
      inputs: { name: ' 3 ', n: 4, tags: ['b', 'a'] },
      errors: [],
    });
  });

  it('names the input of each bad value, whether given typed or as text', () => {
    assert.deepEqual(checkInputs(pipeline, { name: 3, n: 'x', tags: ['c'] }), {
      inputs: {},
      errors: [
        "input 'name': expected text",
        "input 'n': 'x' is not a number",
        "input 'tags': 'c' is not among 'a', 'b'",
      ],
    });
  });

  it('says that a pipeline without inputs declares none', () => {
    assert.deepEqual(checkInputs(pipelineOf([stageSpec('a')]), { x: '1' }).errors, [
      "unknown input 'x': pipeline 'test' has no such input (it declares none)",
    ]);
  });

  it('lists every problem in the error thrown, one a line', () => {
    const error = new InvalidInputsError(['first', 'second']);
    assert.equal(error.message, 'invalid inputs:\n  first\n  second');
    assert.equal(error.name, 'InvalidInputsError');
    assert.deepEqual(error.problems, ['first', 'second']);
  });
});
