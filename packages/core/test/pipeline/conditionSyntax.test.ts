import * as assert from 'node:assert/strict';
import { parseCondition } from '../../src/pipeline/conditionSyntax';
import type { ConditionScope } from '../../src/pipeline/conditionValue';
import { evaluateCondition, isTruthy } from '../../src/pipeline/conditionValue';
import type { DiagnosticCase } from './helpers';
import { itReportsEach, parseValid, yaml } from './helpers';

const scope: ConditionScope = {
  lookup: (path) =>
    ({ 'inputs.mode': 'full', 'inputs.n': 3, 'inputs.tags': ['a', 'b'], 'matrix.os': 'linux' })[
      path.join('.')
    ],
  status: (name) => name === 'always' || name === 'failure',
};

function holds(text: string): boolean {
  const parsed = parseCondition(text);
  assert.ok(parsed.ok, `did not parse: ${text}`);
  return isTruthy(evaluateCondition(parsed.node, scope));
}

describe('pipeline: if conditions', () => {
  it('evaluates operators, literals, names and functions', () => {
    const truths = [
      "inputs.mode == 'full'",
      'inputs.n > 2 && inputs.n <= 3',
      "!(inputs.mode != 'full')",
      "contains(inputs.tags, 'b') || false",
      "startsWith(inputs.mode, 'fu')",
      "contains('abc', 'b')",
      "inputs.n == '3'",
      '${{ failure() }}',
      'always() && !success()',
      "'it''s' == \"it's\"",
      'inputs.missing == null',
      'true',
    ];
    for (const text of truths) assert.equal(holds(text), true, text);
    for (const text of ['false', "inputs.mode == 'FULL'", 'inputs.n < 1', 'success()', '0', "''"]) {
      assert.equal(holds(text), false, text);
    }
  });

  it('reports syntax errors with their offset', () => {
    const cases: [string, number, RegExp][] = [
      ["inputs.mode = 'x'", 12, /write "=="/],
      ['a && (b', 5, /never closed/],
      ['a & b', 2, /write "&&"/],
      ["'open", 0, /never closed/],
      ['a b', 2, /unexpected "b"/],
      ['', 0, /empty/],
      ['${{ a == }}', 9, /ends where a value was expected/],
    ];
    for (const [text, offset, message] of cases) {
      const parsed = parseCondition(text);
      assert.ok(!parsed.ok, text);
      assert.equal(parsed.error.offset, offset, text);
      assert.match(parsed.error.message, message);
    }
  });

  it('accepts valid conditions in a pipeline file, and a bare boolean', () => {
    const pipeline = parseValid(
      yaml(
        'inputs:',
        '  mode: { prompt: Mode?, type: choice, options: [fast, full] }',
        'stages:',
        '  a: { run: x }',
        '  b: { run: y, needs: [a], if: "failure() || inputs.mode == \'full\'" }',
        '  c: { run: z, if: false }',
      ),
    );
    assert.equal(pipeline.stages[1]?.if, "failure() || inputs.mode == 'full'");
    assert.equal(pipeline.stages[2]?.if, 'false');
  });

  const cases: readonly DiagnosticCase[] = [
    [
      'a syntax error',
      yaml('stages:', '  a:', '    run: x', '    if: inputs.x = 1'),
      'bad-condition',
      4,
      18,
      /stages\.a\.if: write "=="/,
    ],
    [
      'an unknown function',
      yaml(
        'stages:',
        '  a: { run: x }',
        '  b:',
        '    run: y',
        '    needs: [a]',
        '    if: falure()',
      ),
      'unknown-function',
      6,
      9,
      /no function falure\(\).*Did you mean "failure"/,
    ],
    [
      'an unknown input',
      yaml('stages:', '  a:', '    run: x', "    if: inputs.mdoe == 'a'"),
      'unknown-input',
      4,
      9,
      /no input "mdoe"/,
    ],
    [
      'outputs of a stage it does not need',
      yaml('stages:', '  a: { run: x }', '  b:', '    run: y', '    if: stages.a.outputs.n > 1'),
      'not-a-dependency',
      5,
      9,
      /not among its needs/,
    ],
    [
      'a wrong argument count',
      yaml('stages:', '  a:', '    run: x', "    if: contains('a')"),
      'wrong-arguments',
      4,
      9,
      /takes 2 arguments, not 1/,
    ],
    [
      'an unknown name',
      yaml('stages:', '  a:', '    run: x', '    if: env.HOME'),
      'unknown-name',
      4,
      9,
      /unknown name "env.HOME"/,
    ],
    [
      'a list',
      yaml('stages:', '  a:', '    run: x', '    if: [a]'),
      'wrong-type',
      4,
      9,
      /expected a condition/,
    ],
  ];
  itReportsEach(cases);
});
