import * as assert from 'node:assert/strict';
import { diagnosticRows, parse, yaml } from './helpers';

/** A flow list of `count` distinct words. */
const values = (count: number): string =>
  `[${Array.from({ length: count }, (_, i) => `v${i}`).join(', ')}]`;

describe('pipeline: each mistake in fan-out and venv, whole', () => {
  it('refuses matrix and foreach together', () => {
    const text = yaml('stages:', '  a: { run: x, matrix: { os: [l] }, foreach: "*.txt" }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'matrix-and-foreach',
        2,
        37,
        2,
        44,
        'stages.a: a stage fans out over either "matrix" or "foreach", not both.',
      ],
    ]);
  });
  it('checks matrix keys and values', () => {
    const text = yaml(
      'stages:',
      '  a:',
      '    run: x',
      '    matrix: { 1os: [a], os: [], node: x, arch: [a, ~, [b]], ok: [1, true, t] }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'bad-id',
        4,
        15,
        4,
        18,
        'stages.a.matrix: "1os" is not a valid matrix key (letters, digits, _ and -, starting with a letter or _).',
      ],
      [
        'error',
        'wrong-type',
        4,
        29,
        4,
        31,
        'stages.a.matrix.os: expected a non-empty list of values, such as [linux, macos].',
      ],
      [
        'error',
        'wrong-type',
        4,
        39,
        4,
        40,
        'stages.a.matrix.node: expected a non-empty list of values, such as [linux, macos].',
      ],
      [
        'error',
        'wrong-type',
        4,
        52,
        4,
        53,
        'stages.a.matrix.arch[1]: expected a text, number or boolean, found nothing.',
      ],
      [
        'error',
        'wrong-type',
        4,
        55,
        4,
        58,
        'stages.a.matrix.arch[2]: expected a text, number or boolean, found a list.',
      ],
    ]);
  });
  it('checks include and exclude lists', () => {
    const text = yaml(
      'stages:',
      '  a:',
      '    run: x',
      '    matrix: { os: [l], include: x, exclude: [{ os: l, zz: 1 }, 5, { os: [x] }] }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'wrong-type',
        4,
        33,
        4,
        34,
        'stages.a.matrix.include: expected a list of mappings such as [{ os: linux, node: 20 }].',
      ],
      [
        'error',
        'unknown-matrix-key',
        4,
        46,
        4,
        62,
        'stages.a.matrix.exclude[0]: "zz" is not a key of this matrix (os).',
      ],
      [
        'error',
        'wrong-type',
        4,
        64,
        4,
        65,
        'stages.a.matrix.exclude[1]: expected a mapping of names to values, got the number 5.',
      ],
      [
        'error',
        'wrong-type',
        4,
        73,
        4,
        76,
        'stages.a.matrix.exclude[2].os: expected a text, number or boolean, found a list.',
      ],
    ]);
  });
  it('wants a matrix with at least one key or include', () => {
    const text = yaml('stages:', '  a: { run: x, matrix: { exclude: [] } }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'empty-matrix',
        2,
        24,
        2,
        39,
        'stages.a.matrix: a matrix needs at least one key with a list of values, or "include".',
      ],
    ]);
  });
  it('wants a matrix mapping', () => {
    const text = yaml('stages:', '  a: { run: x, matrix: [a] }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'wrong-type',
        2,
        24,
        2,
        27,
        'stages.a.matrix: expected a mapping of names to values, got a list.',
      ],
    ]);
  });
  it('warns of max_parallel and fail_fast without fan-out, and checks them', () => {
    const text = yaml(
      'stages:',
      '  a: { run: x, max_parallel: 0, fail_fast: 1 }',
      '  b: { run: x, foreach: "*.txt", max_parallel: 10001, fail_fast: yes }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'warning',
        'not-fanned-out',
        2,
        16,
        2,
        28,
        'stages.a.max_parallel: only means something on a stage with "matrix" or "foreach".',
      ],
      [
        'error',
        'out-of-range',
        2,
        30,
        2,
        31,
        'stages.a.max_parallel: 0 is out of range; use 1 to 10000.',
      ],
      [
        'warning',
        'not-fanned-out',
        2,
        33,
        2,
        42,
        'stages.a.fail_fast: only means something on a stage with "matrix" or "foreach".',
      ],
      [
        'error',
        'wrong-type',
        2,
        44,
        2,
        45,
        'stages.a.fail_fast: expected true or false, got the number 1.',
      ],
      [
        'error',
        'out-of-range',
        3,
        48,
        3,
        53,
        'stages.b.max_parallel: 10001 is out of range; use 1 to 10000.',
      ],
      [
        'error',
        'wrong-type',
        3,
        66,
        3,
        69,
        'stages.b.fail_fast: expected true or false, got the text "yes".',
      ],
    ]);
  });
  it('reads foreach as text', () => {
    const text = yaml('stages:', '  a: { run: x, foreach: [a] }');
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'wrong-type', 2, 25, 2, 28, 'stages.a.foreach: expected text, got a list.'],
    ]);
  });
  it('checks venv at the top level and on stages', () => {
    const text = yaml(
      'venv: false',
      'stages:',
      '  a: { run: x, venv: "${{ inputs.x }}" }',
      '  b: { run: x, venv: false }',
      '  c: { run: x, venv: 5 }',
    );
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'wrong-type', 1, 7, 1, 12, 'venv: expected a folder (e.g. .venv).'],
      [
        'error',
        'expression-not-substituted',
        3,
        22,
        3,
        39,
        'stages.a.venv: expressions are not substituted in venv; name the folder as it is.',
      ],
      [
        'error',
        'wrong-type',
        5,
        22,
        5,
        23,
        'stages.c.venv: expected the folder of a virtual environment, or false (e.g. .venv).',
      ],
    ]);
  });
  it('allows a matrix of 100,000 combinations, and no more', () => {
    const matrix = (a: number, b: number) =>
      yaml('stages:', '  a:', '    run: x', `    matrix: { a: ${values(a)}, b: ${values(b)} }`);
    assert.deepEqual(diagnosticRows(matrix(100, 1000)), []);
    assert.deepEqual(
      parse(matrix(11, 9091)).diagnostics.map((d) => [d.code, d.line, d.column, d.message]),
      [
        [
          'matrix-too-large',
          4,
          13,
          'stages.a.matrix: 100001 combinations; at most 100000 are allowed.',
        ],
      ],
    );
  });
});
