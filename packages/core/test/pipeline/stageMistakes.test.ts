import * as assert from 'node:assert/strict';
import { diagnosticRows, yaml } from './helpers';

describe('pipeline: each mistake in stages, needs, pools and retry, whole', () => {
  it('writes a cycle of up to 12 names in full', () => {
    const text = yaml(
      'stages:',
      '  s0: { run: x, needs: [s1] }',
      '  s1: { run: x, needs: [s2] }',
      '  s2: { run: x, needs: [s3] }',
      '  s3: { run: x, needs: [s4] }',
      '  s4: { run: x, needs: [s5] }',
      '  s5: { run: x, needs: [s6] }',
      '  s6: { run: x, needs: [s7] }',
      '  s7: { run: x, needs: [s8] }',
      '  s8: { run: x, needs: [s9] }',
      '  s9: { run: x, needs: [s10] }',
      '  s10: { run: x, needs: [s0] }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'cycle',
        2,
        25,
        2,
        27,
        'stages.s0.needs: the stages depend on each other in a cycle: s0 → s1 → s2 → s3 → s4 → s5 → s6 → s7 → s8 → s9 → s10 → s0. Remove one of these needs.',
      ],
    ]);
  });
  it('shortens a longer cycle in the middle, counting what it leaves out', () => {
    const text = yaml(
      'stages:',
      '  s0: { run: x, needs: [s1] }',
      '  s1: { run: x, needs: [s2] }',
      '  s2: { run: x, needs: [s3] }',
      '  s3: { run: x, needs: [s4] }',
      '  s4: { run: x, needs: [s5] }',
      '  s5: { run: x, needs: [s6] }',
      '  s6: { run: x, needs: [s7] }',
      '  s7: { run: x, needs: [s8] }',
      '  s8: { run: x, needs: [s9] }',
      '  s9: { run: x, needs: [s10] }',
      '  s10: { run: x, needs: [s11] }',
      '  s11: { run: x, needs: [s0] }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'cycle',
        2,
        25,
        2,
        27,
        'stages.s0.needs: the stages depend on each other in a cycle: s0 → s1 → s2 → s3 → s4 → s5 → s6 → s7 → … (2 more) … → s10 → s11 → s0. Remove one of these needs.',
      ],
    ]);
  });
  it('reports a cycle once at its first need, a repeated need and an unknown one', () => {
    const text = yaml('stages:', '  a: { run: x, needs: [b, b, zz] }', '  b: { run: x, needs: a }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'cycle',
        2,
        24,
        2,
        25,
        'stages.a.needs: the stages depend on each other in a cycle: a → b → a. Remove one of these needs.',
      ],
      ['warning', 'duplicate-need', 2, 27, 2, 28, 'stages.a.needs: "b" is listed twice.'],
      ['error', 'unknown-need', 2, 30, 2, 32, 'stages.a.needs: there is no stage "zz".'],
    ]);
  });
  it('checks pool names and sizes, and what stages ask of them', () => {
    const text = yaml(
      'pools: { gpu: 2, 1x: 1, big: 1001, zero: 0 }',
      'stages:',
      '  a: { run: x, resources: { gpu: 3, gpux: 1, cpu: 1 } }',
      '  b: { run: x, resources: { gpu: 2 } }',
      '  c: { run: x, resources: [gpu] }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'bad-id',
        1,
        18,
        1,
        20,
        'pools: "1x" is not a valid pool name (letters, digits, _ and -, starting with a letter or _).',
      ],
      ['error', 'out-of-range', 1, 30, 1, 34, 'pools.big: 1001 is out of range; use 1 to 1000.'],
      ['error', 'out-of-range', 1, 42, 1, 43, 'pools.zero: 0 is out of range; use 1 to 1000.'],
      [
        'error',
        'pool-too-small',
        3,
        34,
        3,
        35,
        'stages.a.resources.gpu: asks for 3 slots, but pool "gpu" has 2; the stage could never start.',
      ],
      [
        'error',
        'unknown-pool',
        3,
        37,
        3,
        41,
        'stages.a.resources.gpux: there is no pool "gpux"; declare it at the top level, e.g. pools: { gpux: 1 }. Did you mean "gpu"?',
        { find: 'gpux', replaceWith: 'gpu' },
      ],
      [
        'error',
        'unknown-pool',
        3,
        46,
        3,
        49,
        'stages.a.resources.cpu: there is no pool "cpu"; declare it at the top level, e.g. pools: { cpu: 1 }. Did you mean "gpu"?',
        { find: 'cpu', replaceWith: 'gpu' },
      ],
      [
        'error',
        'wrong-type',
        5,
        27,
        5,
        32,
        'stages.c.resources: expected a mapping of names to values, got a list.',
      ],
    ]);
  });
  it('asks for pools to be declared when there are none', () => {
    const text = yaml('stages:', '  a: { run: x, resources: { gpu: 1 } }');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'unknown-pool',
        2,
        29,
        2,
        32,
        'stages.a.resources.gpu: there is no pool "gpu"; declare it at the top level, e.g. pools: { gpu: 1 }.',
      ],
    ]);
  });
  it('checks each retry field, and retry against retries', () => {
    const text = yaml(
      'stages:',
      '  a: { run: x, retry: { attempts: 3 }, retries: 2 }',
      '  b: { run: x, retries: 0 }',
      '  c: { run: x, retry: { backoff: 10s, max_backoff: 5s, factor: 0.5, jitter: 2, on_exit_codes: 75 } }',
      '  d: { run: x, retry: { on_exit_codes: [75, 0, 256] } }',
      '  e: { run: x, retry: [1] }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'conflicting-keys',
        2,
        40,
        2,
        47,
        'stages.a: use either "retry" or its shorthand "retries", not both.',
      ],
      [
        'error',
        'out-of-range',
        3,
        25,
        3,
        26,
        'stages.b.retries: 0 is out of range; use 1 to 1000.',
      ],
      [
        'error',
        'out-of-range',
        4,
        52,
        4,
        54,
        'stages.c.retry.max_backoff: 5s is shorter than backoff 10s; the cap must be at least the first delay.',
      ],
      [
        'error',
        'out-of-range',
        4,
        64,
        4,
        67,
        'stages.c.retry.factor: 0.5 is out of range; use 1 to 100.',
      ],
      [
        'error',
        'out-of-range',
        4,
        77,
        4,
        78,
        'stages.c.retry.jitter: 2 is out of range; use 0 to 1.',
      ],
      [
        'error',
        'wrong-type',
        4,
        95,
        4,
        97,
        'stages.c.retry.on_exit_codes: expected a list of exit codes, e.g. [75, 143].',
      ],
      [
        'error',
        'out-of-range',
        5,
        45,
        5,
        46,
        'stages.d.retry.on_exit_codes[1]: 0 is out of range; use 1 to 255.',
      ],
      [
        'error',
        'out-of-range',
        5,
        48,
        5,
        51,
        'stages.d.retry.on_exit_codes[2]: 256 is out of range; use 1 to 255.',
      ],
      [
        'error',
        'wrong-type',
        6,
        23,
        6,
        26,
        'stages.e.retry: expected a mapping of names to values, got a list.',
      ],
    ]);
  });
  it('reports each kind of broken stage', () => {
    const text = yaml(
      'stages:',
      '  a: make',
      '  b: 5',
      '  c: { needs: [a] }',
      '  d: { run: ~ }',
      '  e: { run: "  " }',
      '  f: { run: [x] }',
      '  g:',
      '  h: { run: x, cwd: [a], timeout: 0s, cache: 1, continue_on_error: no, if: [x], venv: "", executor: 5 }',
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'wrong-type',
        2,
        6,
        2,
        10,
        'stages.a: a stage is a mapping with at least "run"; write a: { run: make }.',
      ],
      [
        'error',
        'wrong-type',
        3,
        6,
        3,
        7,
        'stages.b: expected a mapping of names to values, got the number 5.',
      ],
      [
        'error',
        'missing-key',
        4,
        3,
        4,
        4,
        'stages.c: a stage needs "run", the command to execute.',
      ],
      ['error', 'empty-run', 5, 8, 5, 11, 'stages.d.run: the command is empty.'],
      ['error', 'empty-run', 6, 13, 6, 17, 'stages.e.run: the command is empty.'],
      ['error', 'wrong-type', 7, 13, 7, 16, 'stages.f.run: expected text, got a list.'],
      [
        'error',
        'missing-key',
        8,
        3,
        8,
        4,
        'stages.g: a stage needs "run", the command to execute.',
      ],
      ['error', 'wrong-type', 9, 21, 9, 24, 'stages.h.cwd: expected text, got a list.'],
      [
        'error',
        'bad-duration',
        9,
        35,
        9,
        37,
        'stages.h.timeout: the duration must be longer than zero.',
      ],
      [
        'error',
        'wrong-type',
        9,
        46,
        9,
        47,
        'stages.h.cache: expected true or false, got the number 1.',
      ],
      [
        'error',
        'wrong-type',
        9,
        68,
        9,
        70,
        'stages.h.continue_on_error: expected true or false, got the text "no".',
      ],
      [
        'error',
        'wrong-type',
        9,
        76,
        9,
        79,
        'stages.h.if: expected a condition such as "failure()" or "inputs.mode == \'full\'", found a list.',
      ],
      [
        'error',
        'wrong-type',
        9,
        87,
        9,
        89,
        'stages.h.venv: expected the folder of a virtual environment, or false (e.g. .venv).',
      ],
      [
        'error',
        'wrong-type',
        9,
        101,
        9,
        102,
        'stages.h.executor: expected local or { type: bullmq, queue: <name> }, not the number 5.',
      ],
    ]);
  });
  it('wants at least one stage', () => {
    const text = yaml('stages: {}');
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'no-stages', 1, 9, 1, 11, 'stages: a pipeline needs at least one stage.'],
    ]);
  });
  it('wants stages as a mapping', () => {
    const text = yaml('stages: [a]');
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'wrong-type',
        1,
        9,
        1,
        12,
        'stages: expected a mapping of names to values, got a list.',
      ],
    ]);
  });
});
