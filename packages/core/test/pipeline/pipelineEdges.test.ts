import * as assert from 'node:assert/strict';
import { foreachSource } from '../../src/pipeline/validateFanOut';
import { diagnosticRows, parseValid, yaml } from './helpers';

const NAMES =
  'a condition reads inputs.<id>, stages.<stage>.outputs.<name>, matrix.<key> or item, and calls functions such as failure().';

describe('pipeline: edges of names, needs, matrices and foreach', () => {
  it('reads a name in a condition only in its exact form', () => {
    const text = yaml(
      'inputs: { a: {} }',
      'stages:',
      '  s: { run: x }',
      '  t:',
      '    run: x',
      '    needs: [s]',
      '    if: inputs.a.b && stages.s.outputs && stages.s.foo.y && item.x && matrix.a.b && 5 == 5',
    );
    const unknown = (name: string, from: number, to: number) => [
      'error',
      'unknown-name',
      7,
      from,
      7,
      to,
      `stages.t.if: unknown name "${name}"; ${NAMES}`,
    ];
    assert.deepEqual(diagnosticRows(text), [
      unknown('inputs.a.b', 9, 19),
      unknown('stages.s.outputs', 23, 39),
      unknown('stages.s.foo.y', 43, 57),
      unknown('item.x', 61, 67),
      unknown('matrix.a.b', 71, 81),
    ]);
  });

  it('takes a condition written as a number for a mistake', () => {
    assert.deepEqual(diagnosticRows(yaml('stages:', '  a: { run: x, if: 5 }')), [
      [
        'error',
        'wrong-type',
        2,
        20,
        2,
        21,
        'stages.a.if: expected a condition such as "failure()" or "inputs.mode == \'full\'", found the number 5.',
      ],
    ]);
  });

  it('never suggests a stage as its own need', () => {
    const text = yaml('stages:', '  ab: { run: x, needs: [aa] }', '  xyz: { run: x }');
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'unknown-need', 2, 25, 2, 27, 'stages.ab.needs: there is no stage "aa".'],
    ]);
  });

  it('names the top level in the message of a repeated top-level key', () => {
    const rows = diagnosticRows(yaml('name: a', 'name: b', 'stages: { s: { run: x } }'));
    assert.deepEqual(rows, [
      [
        'error',
        'duplicate-key',
        2,
        1,
        2,
        5,
        'The key "name" is declared twice in top level (first on line 1); names must be unique.',
      ],
    ]);
  });

  it('accepts a matrix of include entries alone, and trims foreach', () => {
    const pipeline = parseValid(
      yaml(
        'stages:',
        '  a: { run: x, matrix: { include: [{ os: l }] } }',
        '  b: { run: x, foreach: "  *.txt " }',
      ),
    );
    assert.deepEqual(pipeline.stages[0]?.matrix, { axes: {}, include: [{ os: 'l' }], exclude: [] });
    assert.equal(pipeline.stages[1]?.foreach, '*.txt');
  });

  it('reads a foreach as a stage output only when it is exactly one such expression', () => {
    assert.deepEqual(foreachSource('${{ stages.a.outputs.files }}'), {
      stage: 'a',
      output: 'files',
    });
    for (const glob of [
      'data/*.txt',
      ' ${{ stages.a.outputs.files }}',
      '${{ stages.a.outputs.files }}x',
      '${{ stages.a.outputs.f }}${{ stages.a.outputs.g }}',
      '${{ inputs.files }}',
      '${{ bad',
    ]) {
      assert.equal(foreachSource(glob), undefined, glob);
    }
  });

  it('takes neither a bare word for item nor any four-part name for a stage output', () => {
    const text = yaml(
      'stages:',
      '  s: { run: x }',
      '  t: { run: x, needs: [s], foreach: "*.txt", if: "foo && foo.s.outputs.o" }',
    );
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'unknown-name', 3, 51, 3, 54, `stages.t.if: unknown name "foo"; ${NAMES}`],
      [
        'error',
        'unknown-name',
        3,
        58,
        3,
        73,
        `stages.t.if: unknown name "foo.s.outputs.o"; ${NAMES}`,
      ],
    ]);
  });

  it('lists every key of the matrix when an exclude names another', () => {
    const text = yaml(
      'stages:',
      '  a: { run: x, matrix: { os: [l], node: [1], exclude: [{ zz: 1 }] } }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'unknown-matrix-key',
        2,
        56,
        2,
        65,
        'stages.a.matrix.exclude[0]: "zz" is not a key of this matrix (os, node).',
      ],
    ]);
  });
});
