import * as assert from 'node:assert/strict';
import { diagnosticRows, parseValid, yaml } from './helpers';

const STAGES = ['stages:', '  a: { run: x }'];
const HINT = 'a duration such as 500ms, 30s, 5m, 1h or 1h30m';

describe('pipeline: inputs, read field by field', () => {
  it('reads each field, with the defaults of those left out', () => {
    const pipeline = parseValid(
      yaml(
        'inputs:',
        '  t:',
        '  p: { prompt: Which?, type: choice, options: [a, b], default: b, timeout: 5m, secret: true }',
        '  n: { type: number, default: 3 }',
        '  c: { type: confirm, default: false }',
        '  m: { type: multi, options: [a, 2, true], default: [a, "2"] }',
        '  x: { prompt: 5, default: 7 }',
        '  s: { secret: false }',
        ...STAGES,
      ),
    );
    assert.deepEqual(pipeline.inputs, [
      { id: 't', prompt: 't', type: 'text', position: { line: 2, column: 3 } },
      {
        id: 'p',
        prompt: 'Which?',
        type: 'choice',
        position: { line: 3, column: 3 },
        options: ['a', 'b'],
        default: 'b',
        timeoutMs: 300_000,
        secret: true,
      },
      { id: 'n', prompt: 'n', type: 'number', position: { line: 4, column: 3 }, default: 3 },
      { id: 'c', prompt: 'c', type: 'confirm', position: { line: 5, column: 3 }, default: false },
      {
        id: 'm',
        prompt: 'm',
        type: 'multi',
        position: { line: 6, column: 3 },
        options: ['a', '2', 'true'],
        default: ['a', '2'],
      },
      { id: 'x', prompt: '5', type: 'text', position: { line: 7, column: 3 }, default: '7' },
      { id: 's', prompt: 's', type: 'text', position: { line: 8, column: 3 }, secret: false },
    ]);
  });

  it('reports each mistake in types and options where it is written', () => {
    const text = yaml(
      'inputs:',
      '  p: { prompt: ~, type: choise, options: [a] }',
      '  q: { type: multi }',
      '  r: { type: ~ }',
      '  u: { type: text, options: [a] }',
      '  v: { type: choice, options: [] }',
      '  w: { type: choice, options: [a, b, a] }',
      '  z: { type: choice, options: a }',
      ...STAGES,
    );
    const notAllowed =
      'only choice and multi inputs have options (this one is text); set type: choice.';
    assert.deepEqual(diagnosticRows(text), [
      ['error', 'wrong-type', 2, 16, 2, 17, 'inputs.p.prompt: expected text, got nothing.'],
      [
        'error',
        'bad-value',
        2,
        25,
        2,
        31,
        'inputs.p.type: "choise" is not an input type; use one of text, choice, multi, number, confirm. Did you mean "choice"?',
        { find: 'choise', replaceWith: 'choice' },
      ],
      ['error', 'options-not-allowed', 2, 33, 2, 40, `inputs.p.options: ${notAllowed}`],
      [
        'error',
        'missing-key',
        3,
        14,
        3,
        19,
        'inputs.q: a multi input needs "options", the list to choose from.',
      ],
      ['error', 'wrong-type', 4, 14, 4, 15, 'inputs.r.type: expected text, got nothing.'],
      ['error', 'options-not-allowed', 5, 20, 5, 27, `inputs.u.options: ${notAllowed}`],
      ['error', 'bad-value', 6, 31, 6, 33, 'inputs.v.options: give at least one option.'],
      ['error', 'bad-value', 7, 31, 7, 40, 'inputs.w.options: "a" is listed twice.'],
      ['error', 'wrong-type', 8, 31, 8, 32, 'inputs.z.options: expected a list, got the text "a".'],
    ]);
  });

  it('checks each default against its type and options, and the other fields', () => {
    const text = yaml(
      'inputs:',
      '  n: { type: number, default: "3" }',
      '  c: { type: confirm, default: yes }',
      '  h: { type: choice, options: [alpha, beta], default: [alpha] }',
      '  m: { type: multi, options: [alpha, beta], default: [alpha, bta] }',
      '  k: { type: multi, options: [alpha], default: alpha }',
      '  d: { type: choice, options: [x, x], default: x }',
      '  e: { timeout: 5, secret: 1, pormpt: a }',
      '  f: { type: multi, options: [a], default: [a, [b]] }',
      '  g: { type: text, default: [a] }',
      ...STAGES,
    );
    assert.deepEqual(diagnosticRows(text), [
      [
        'error',
        'bad-default',
        2,
        31,
        2,
        34,
        'inputs.n.default: expected a number to match the input\'s type, got the text "3".',
      ],
      [
        'error',
        'bad-default',
        3,
        32,
        3,
        35,
        'inputs.c.default: expected true or false to match the input\'s type, got the text "yes".',
      ],
      ['error', 'wrong-type', 4, 55, 4, 62, 'inputs.h.default: expected text, got a list.'],
      [
        'error',
        'bad-default',
        5,
        54,
        5,
        66,
        'inputs.m.default: "bta" is not one of the options (alpha, beta). Did you mean "beta"?',
      ],
      [
        'error',
        'wrong-type',
        6,
        48,
        6,
        53,
        'inputs.k.default: expected a list, got the text "alpha".',
      ],
      // Options listed twice are refused, and the default is not checked against them.
      ['error', 'bad-value', 7, 31, 7, 37, 'inputs.d.options: "x" is listed twice.'],
      [
        'error',
        'bad-duration',
        8,
        17,
        8,
        18,
        `inputs.e.timeout: 5 has no unit; write ${HINT} (e.g. 5s).`,
      ],
      [
        'error',
        'wrong-type',
        8,
        28,
        8,
        29,
        'inputs.e.secret: expected true or false, got the number 1.',
      ],
      [
        'error',
        'unknown-key',
        8,
        31,
        8,
        37,
        'inputs.e: unknown key "pormpt". Did you mean "prompt"?',
        { find: 'pormpt', replaceWith: 'prompt' },
      ],
      ['error', 'wrong-type', 9, 48, 9, 51, 'inputs.f.default[1]: expected text, got a list.'],
      ['error', 'wrong-type', 10, 29, 10, 32, 'inputs.g.default: expected text, got a list.'],
    ]);
  });

  it('reports inputs that are not a mapping, and bad ids', () => {
    assert.deepEqual(diagnosticRows(yaml('inputs: [a]', ...STAGES)), [
      [
        'error',
        'wrong-type',
        1,
        9,
        1,
        12,
        'inputs: expected a mapping of names to values, got a list.',
      ],
    ]);
    assert.deepEqual(diagnosticRows(yaml('inputs:', '  1x: {}', '  ok: [a]', ...STAGES)), [
      [
        'error',
        'bad-id',
        2,
        3,
        2,
        5,
        '"1x" is not a valid input id: start with a letter or "_", then use only letters, digits, "_" and "-".',
      ],
      [
        'error',
        'wrong-type',
        3,
        7,
        3,
        10,
        'inputs.ok: expected a mapping of names to values, got a list.',
      ],
    ]);
  });
});
