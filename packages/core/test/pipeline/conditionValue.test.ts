import * as assert from 'node:assert/strict';
import { parseCondition } from '../../src/pipeline/conditionSyntax';
import type {
  ConditionScope,
  ConditionValue,
  StatusFunction,
} from '../../src/pipeline/conditionValue';
import {
  callsStatusFunction,
  evaluateCondition,
  isTruthy,
} from '../../src/pipeline/conditionValue';

const NAMES: Readonly<Record<string, ConditionValue>> = {
  'inputs.tags': ['a', '3', 'c'],
  'inputs.nums': [1, 2],
  'inputs.empty': [],
  'inputs.blank': '',
  'inputs.spaced': ' 3 ',
  'inputs.word': 'abc',
};

/** A scope over {@link NAMES} that records every name and status function it is asked for. */
function recordingScope(): ConditionScope & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup: (path) => {
      asked.push(path.join('.'));
      return NAMES[path.join('.')];
    },
    status: (name: StatusFunction) => {
      asked.push(`${name}()`);
      return name === 'failure';
    },
  };
}

function value(text: string, scope: ConditionScope = recordingScope()): ConditionValue {
  const parsed = parseCondition(text);
  assert.ok(parsed.ok, `did not parse: ${text}`);
  return evaluateCondition(parsed.node, scope);
}

function callsStatus(text: string): boolean {
  const parsed = parseCondition(text);
  assert.ok(parsed.ok, text);
  return callsStatusFunction(parsed.node);
}

describe('pipeline: if condition values', () => {
  it('reads false, 0, NaN, the empty string and null as false, everything else as true', () => {
    for (const falsy of [false, 0, -0, Number.NaN, '', null]) {
      assert.equal(isTruthy(falsy), false, String(falsy));
    }
    for (const truthy of [true, 1, -1, 0.5, 'x', ' ', '0', 'false', [], [0]]) {
      assert.equal(isTruthy(truthy), true, JSON.stringify(truthy));
    }
  });

  it('compares mixed types as numbers, lists as their JSON text, same types exactly', () => {
    const cases: [string, boolean][] = [
      ['true == 1', true],
      ['false == 0', true],
      ['true == 2', false],
      ['null == 0', true],
      ['null == false', true],
      ["null == ''", true],
      ["'' == 0", true],
      ['inputs.blank == 0', true],
      ['inputs.spaced == 3', true],
      ["inputs.word == 'abc'", true],
      ["inputs.word == 'ABC'", false],
      ['inputs.word == 0', false],
      ["inputs.nums == '[1,2]'", true],
      ['inputs.tags == \'["a","3","c"]\'', true],
      ['inputs.nums == inputs.nums', true],
      ['inputs.nums == 1', false],
      ['inputs.empty == null', false],
      ["inputs.empty != '[]'", false],
      ['1 != 1', false],
      ["1 != '2'", true],
      ['inputs.unknown == null', true],
    ];
    for (const [text, expected] of cases) assert.equal(value(text), expected, text);
  });

  it('orders strings as text, everything else as numbers, and NaN never', () => {
    const cases: [string, boolean][] = [
      ["'b' > 'a'", true],
      ["'10' < '9'", true],
      ["'10' < 9", false],
      ["'10' > 9", true],
      ['2 < 2', false],
      ['2 <= 2', true],
      ['2 > 2', false],
      ['2 >= 2', true],
      ['1 < 2', true],
      ['1 > 2', false],
      ['3 <= 2', false],
      ['1 >= 2', false],
      ["'a' <= 'a'", true],
      ["'a' >= 'b'", false],
      ['null < 1', true],
      ['true > false', true],
      ['inputs.word < 1 || inputs.word >= 1 || inputs.word <= 1 || inputs.word > 1', false],
      ['inputs.nums < 5 || inputs.nums >= 0', false],
      ["1 < 'x'", false],
    ];
    for (const [text, expected] of cases) assert.equal(value(text), expected, text);
  });

  it('yields an operand of && and || and reads the right side only when it decides', () => {
    const scope = recordingScope();
    assert.equal(value('0 && inputs.word', scope), 0);
    assert.equal(value("inputs.blank || 'x'", scope), 'x');
    assert.equal(value("'a' || inputs.word", scope), 'a');
    assert.equal(value("'a' && inputs.word", scope), 'abc');
    assert.equal(value('null && success()', scope), null);
    assert.equal(value('true || success()', scope), true);
    assert.deepEqual(scope.asked, ['inputs.blank', 'inputs.word']);
    assert.equal(value('!inputs.empty'), false);
    assert.equal(value('!inputs.blank'), true);
    assert.equal(value('inputs.unknown'), null);
  });

  it('calls contains and startsWith on text and lists, and the status functions through the scope', () => {
    const cases: [string, boolean][] = [
      ["contains(inputs.tags, 'c')", true],
      ['contains(inputs.tags, 3)', true],
      ["contains(inputs.tags, 'ab')", false],
      ["contains(inputs.nums, '2')", true],
      ['contains(inputs.empty, null)', false],
      ["contains('abc', 'bc')", true],
      ["contains('abc', 'cb')", false],
      ["contains(123, '23')", true],
      ['contains(null, null)', true],
      ["contains(inputs.nums, '1,2')", false],
      ["contains(inputs.nums, '[1,')", false],
      ["startsWith(inputs.word, 'ab')", true],
      ["startsWith(inputs.word, 'bc')", false],
      ["startsWith(inputs.nums, '[1')", true],
      ["startsWith(null, '')", true],
      ['failure()', true],
      ['success()', false],
    ];
    for (const [text, expected] of cases) assert.equal(value(text), expected, text);
    // A missing argument reads as null, that is as the empty text.
    assert.equal(value("contains('abc')"), true);
    assert.equal(value('startsWith()'), true);
    assert.throws(() => value('nope()'), /^Error: unknown function nope\(\)$/);
  });

  it('finds a status function anywhere in a condition', () => {
    for (const text of [
      'failure()',
      '!always()',
      'a || cancelled()',
      'success() && a',
      'contains(x, failure())',
      "startsWith(x, 'y') == always()",
    ]) {
      assert.equal(callsStatus(text), true, text);
    }
    for (const text of ["contains(x, 'y')", 'a', '1', '!a', 'a && b', 'f(g(h))']) {
      assert.equal(callsStatus(text), false, text);
    }
  });
});
