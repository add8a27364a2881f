import * as assert from 'node:assert/strict';
import type { DiagnosticCase } from './helpers';
import { itReportsEach, parseValid, yaml } from './helpers';

describe('pipeline: matrix, foreach and pools', () => {
  it('reads matrix, foreach, max_parallel, fail_fast, pools and resources', () => {
    const pipeline = parseValid(
      yaml(
        'pools: { gpu: 1 }',
        'stages:',
        '  list: { run: x }',
        '  each:',
        '    needs: list',
        '    foreach: ${{ stages.list.outputs.papers }}',
        '    run: echo "${{ item }}"',
        '    max_parallel: 2',
        '    resources: { gpu: 1 }',
        '  test:',
        '    matrix: { os: [linux, mac], node: [18, 20], exclude: [{ os: mac, node: 18 }] }',
        '    fail_fast: false',
        '    if: "matrix.os == \'linux\'"',
        '    run: echo "${{ matrix.node }}"',
      ),
    );
    const [, each, test] = pipeline.stages;
    assert.equal(each?.foreach, '${{ stages.list.outputs.papers }}');
    assert.equal(each?.maxParallel, 2);
    assert.deepEqual(each?.resources, { gpu: 1 });
    assert.deepEqual(test?.matrix?.axes, { os: ['linux', 'mac'], node: ['18', '20'] });
    assert.equal(test?.failFast, false);
    assert.deepEqual(pipeline.pools, { gpu: 1 });
  });

  const cases: readonly DiagnosticCase[] = [
    [
      'an unknown matrix key',
      yaml('stages:', '  a:', '    matrix: { os: [linux] }', '    run: echo "${{ matrix.oss }}"'),
      'unknown-matrix-key',
      4,
      16,
      /the matrix has no key "oss".*Did you mean "os"/,
    ],
    [
      'item outside a fan-out',
      yaml('stages:', '  a:', '    run: echo "${{ item }}"'),
      'item-outside-fan-out',
      3,
      16,
      /"item" exists only in a stage with "foreach" or "matrix"/,
    ],
    [
      'a foreach over a stage it does not need',
      yaml(
        'stages:',
        '  a: { run: x }',
        '  b:',
        '    run: y',
        '    foreach: ${{ stages.a.outputs.l }}',
      ),
      'not-a-dependency',
      5,
      14,
      /not among its needs/,
    ],
    [
      'a resource without a pool',
      yaml('stages:', '  a:', '    run: x', '    resources: { gpu: 1 }'),
      'unknown-pool',
      4,
      18,
      /there is no pool "gpu"/,
    ],
    [
      'a resource larger than its pool',
      yaml('pools: { gpu: 1 }', 'stages:', '  a:', '    run: x', '    resources: { gpu: 2 }'),
      'pool-too-small',
      5,
      23,
      /asks for 2 slots, but pool "gpu" has 1/,
    ],
    [
      'both matrix and foreach',
      yaml('stages:', '  a:', '    run: x', '    matrix: { n: [1] }', '    foreach: "*.txt"'),
      'matrix-and-foreach',
      5,
      5,
      /either "matrix" or "foreach"/,
    ],
    [
      'a matrix key that is not a list',
      yaml('stages:', '  a:', '    run: x', '    matrix: { n: 3 }'),
      'wrong-type',
      4,
      18,
      /expected a non-empty list of values/,
    ],
  ];
  itReportsEach(cases);
});
