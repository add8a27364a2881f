import * as assert from 'node:assert/strict';
import { diagnosticRows, yaml } from './helpers';

describe("pipeline: each mistake in a stage's if, whole", () => {
  it('checks conditions: syntax, functions, names', () => {
    const text = yaml(
      'inputs: { mode: {} }',
      'stages:',
      '  b: { run: x }',
      '  a:',
      '    run: x',
      '    needs: [b]',
      '    if: failur() && contains(inputs.mode) && inputs.mdoe == 1 && stages.zz.outputs.o && stages.a.outputs.o && stages.c.outputs.o && item && matrix.k && foo.bar && always(1)',
      '  c: { run: x }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'unknown-function',
        7,
        9,
        7,
        17,
        'stages.a.if: there is no function failur(). Did you mean "failure"?',
        { find: 'failur', replaceWith: 'failure' },
      ],
      [
        'error',
        'wrong-arguments',
        7,
        21,
        7,
        42,
        'stages.a.if: contains() takes 2 arguments, not 1.',
      ],
      [
        'error',
        'unknown-input',
        7,
        46,
        7,
        57,
        'stages.a.if: there is no input "mdoe". Did you mean "mode"?',
        { find: 'mdoe', replaceWith: 'mode' },
      ],
      ['error', 'unknown-stage', 7, 66, 7, 85, 'stages.a.if: there is no stage "zz".'],
      [
        'error',
        'self-reference',
        7,
        89,
        7,
        107,
        "stages.a.if: a stage's condition cannot read its own outputs; they exist only after it runs.",
      ],
      [
        'error',
        'not-a-dependency',
        7,
        111,
        7,
        129,
        'stages.a.if: reads stages.c.outputs.o, but "c" is not among its needs (directly or through other stages), so it may not have run yet. Add "c" to needs.',
      ],
      [
        'error',
        'item-outside-fan-out',
        7,
        133,
        7,
        137,
        'stages.a.if: "item" exists only in a stage with "foreach" or "matrix".',
      ],
      [
        'error',
        'unknown-matrix-key',
        7,
        141,
        7,
        149,
        'stages.a.if: matrix.k exists only in a stage with "matrix".',
      ],
      [
        'error',
        'unknown-name',
        7,
        153,
        7,
        160,
        'stages.a.if: unknown name "foo.bar"; a condition reads inputs.<id>, stages.<stage>.outputs.<name>, matrix.<key> or item, and calls functions such as failure().',
      ],
      [
        'error',
        'wrong-arguments',
        7,
        164,
        7,
        173,
        'stages.a.if: always() takes 0 arguments, not 1.',
      ],
    ]);
  });
  it('points into a quoted condition, and at the whole of an escaped one', () => {
    const text = yaml(
      'stages:',
      '  a: { run: x, if: "inputs.x == 1" }',
      '  b: { run: x, if: "inputs.\\x79 == 1" }',
      '  c: { run: x, if: "inputs.y ==" }',
    );
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'unknown-input', 2, 21, 2, 29, 'stages.a.if: there is no input "x".'],
      ['error', 'unknown-input', 3, 20, 3, 38, 'stages.b.if: there is no input "y".'],
      [
        'error',
        'bad-condition',
        4,
        32,
        4,
        33,
        'stages.c.if: the condition ends where a value was expected.',
      ],
    ]);
  });
  it('warns of status functions in a stage that needs none', () => {
    const text = yaml(
      'stages:',
      '  a: { run: x, if: failure() }',
      '  b: { run: x, if: true }',
      '  c: { run: x, if: false, needs: [a] }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'warning',
        'status-without-needs',
        2,
        20,
        2,
        29,
        'stages.a.if: success(), failure(), always(), cancelled() are about the stages a stage needs, and this stage needs none; add "needs".',
      ],
    ]);
  });
  it('knows item and matrix keys in conditions of fanned-out stages', () => {
    const text = yaml(
      'stages:',
      '  a: { run: x, matrix: { os: [l] }, if: "matrix.os == \'l\' && matrix.o == 1 && item" }',
      '  b: { run: x, foreach: "*.txt", if: "item == \'a\'" }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'unknown-matrix-key',
        2,
        62,
        2,
        70,
        'stages.a.if: the matrix has no key "o". Did you mean "os"?',
        { find: 'o', replaceWith: 'os' },
      ],
    ]);
  });
});
