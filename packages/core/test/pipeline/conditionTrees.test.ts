import * as assert from 'node:assert/strict';
import type { ConditionNode } from '../../src/pipeline/conditionSyntax';
import { parseCondition, unwrapCondition } from '../../src/pipeline/conditionSyntax';

/** The tree of a condition that must parse. */
function tree(text: string): ConditionNode {
  const parsed = parseCondition(text);
  assert.ok(parsed.ok, `did not parse: ${text}: ${parsed.ok ? '' : parsed.error.message}`);
  return parsed.node;
}

/** A tree as a Lisp-like line (no offsets), to state precedence and grouping briefly. */
function shape(node: ConditionNode): string {
  switch (node.kind) {
    case 'literal':
      return JSON.stringify(node.value);
    case 'name':
      return node.path.join('.');
    case 'not':
      return `(! ${shape(node.operand)})`;
    case 'binary':
      return `(${node.operator} ${shape(node.left)} ${shape(node.right)})`;
    case 'call':
      return `${node.name}(${node.args.map(shape).join(' ')})`;
    default:
      return 'never';
  }
}

/** The error of a condition that must not parse. */
function errorOf(text: string): { offset: number; length: number; message: string } {
  const parsed = parseCondition(text);
  assert.ok(!parsed.ok, `parsed: ${text}`);
  return parsed.error;
}

describe('pipeline: if condition trees', () => {
  it('binds || loosest, then &&, then ==/!=, then comparisons, then !', () => {
    const cases: [string, string][] = [
      ['a || b && c', '(|| a (&& b c))'],
      ['a && b || c', '(|| (&& a b) c)'],
      ['a == b && c != d', '(&& (== a b) (!= c d))'],
      ['a < b == c >= d', '(== (< a b) (>= c d))'],
      ['a <= b > c', '(> (<= a b) c)'],
      ['!a == b', '(== (! a) b)'],
      ['!!false', '(! (! false))'],
      ['(a || b) && c', '(&& (|| a b) c)'],
      ['a || b || c', '(|| (|| a b) c)'],
      ['f() && g(a, b || c, (d))', '(&& f() g(a (|| b c) d))'],
    ];
    for (const [text, expected] of cases) assert.equal(shape(tree(text)), expected, text);
  });

  it('reads numbers, strings, words and the three keywords as the literals they are', () => {
    const cases: [string, string][] = [
      ['-2.5e1', '-25'],
      ['1E+2', '100'],
      ['.5', '0.5'],
      ['7', '7'],
      ['1e-1', '0.1'],
      ["'it''s'", '"it\'s"'],
      ['"say ""hi"""', '"say \\"hi\\""'],
      ["''", '""'],
      ['true', 'true'],
      ['false', 'false'],
      ['null', 'null'],
      ['x.y-z_1', 'x.y-z_1'],
      ['_a.B9', '_a.B9'],
      ['\t a \n', 'a'],
    ];
    for (const [text, expected] of cases) assert.equal(shape(tree(text)), expected, text);
  });

  it('gives every node the offset and length of its text', () => {
    assert.deepEqual(tree('!a.b || (1 <= -2.5e1)'), {
      kind: 'binary',
      operator: '||',
      left: {
        kind: 'not',
        operand: { kind: 'name', path: ['a', 'b'], offset: 1, length: 3 },
        offset: 0,
        length: 4,
      },
      right: {
        kind: 'binary',
        operator: '<=',
        left: { kind: 'literal', value: 1, offset: 9, length: 1 },
        right: { kind: 'literal', value: -25, offset: 14, length: 6 },
        offset: 8,
        length: 13,
      },
      offset: 0,
      length: 21,
    });
    assert.deepEqual(tree('x.y-z_1 >= 1E+2 != null'), {
      kind: 'binary',
      operator: '!=',
      left: {
        kind: 'binary',
        operator: '>=',
        left: { kind: 'name', path: ['x', 'y-z_1'], offset: 0, length: 7 },
        right: { kind: 'literal', value: 100, offset: 11, length: 4 },
        offset: 0,
        length: 15,
      },
      right: { kind: 'literal', value: null, offset: 19, length: 4 },
      offset: 0,
      length: 23,
    });
  });

  it('counts offsets from the start of the text when ${{ }} wraps the condition', () => {
    assert.deepEqual(tree("  ${{ f('x''y', .5, true) }} "), {
      kind: 'call',
      name: 'f',
      args: [
        { kind: 'literal', value: "x'y", offset: 8, length: 6 },
        { kind: 'literal', value: 0.5, offset: 16, length: 2 },
        { kind: 'literal', value: true, offset: 20, length: 4 },
      ],
      offset: 6,
      length: 19,
    });
    assert.deepEqual(unwrapCondition('  ${{ a }}\n'), { text: ' a ', offset: 5 });
    assert.deepEqual(unwrapCondition('${{a}}'), { text: 'a', offset: 3 });
    // Not wrapped: text before `${{` or after `}}` leaves the condition as it is.
    assert.deepEqual(unwrapCondition('x ${{ a }}'), { text: 'x ${{ a }}', offset: 0 });
    assert.deepEqual(unwrapCondition('${{ a }} x'), { text: '${{ a }} x', offset: 0 });
    assert.deepEqual(unwrapCondition('${{ a'), { text: '${{ a', offset: 0 });
    assert.deepEqual(unwrapCondition('${{\na\n}}'), { text: '\na\n', offset: 3 });
    assert.equal(errorOf('${{ a = 1 }}').offset, 6);
    assert.equal(errorOf('${{ a == }}').offset, 9);
  });

  it('says exactly what is wrong, where, and over how many characters', () => {
    const cases: [string, number, number, string][] = [
      ['contains(a', 10, 1, 'expected "," or ")" in the call of contains()'],
      ['f(a b)', 4, 1, 'expected "," or ")" in the call of f()'],
      ['f(a ab)', 4, 2, 'expected "," or ")" in the call of f()'],
      ['a.', 2, 1, 'expected a name after "."'],
      ['a.(b)', 2, 1, 'expected a name after "."'],
      ["a.bc.'d'", 5, 3, 'expected a name after "."'],
      [')', 0, 1, 'expected a value, found ")"'],
      ['a && ||', 5, 2, 'expected a value, found "||"'],
      ['a ,', 2, 1, 'unexpected ","'],
      ['a b', 2, 1, 'unexpected "b"'],
      ['a bcd', 2, 3, 'unexpected "bcd"'],
      ['"abc', 0, 4, 'this string is never closed'],
      ["x == 'ab''", 5, 5, 'this string is never closed'],
      ['a | b', 2, 1, 'write "||"; a single "|" is not an operator'],
      ['a & b', 2, 1, 'write "&&"; a single "&" is not an operator'],
      ['a = b', 2, 1, 'write "==" to compare; "=" alone is not an operator'],
      ['a # b', 2, 1, 'unexpected character "#"'],
      ['a == ', 5, 1, 'the condition ends where a value was expected'],
      ['(a || b', 0, 1, 'this "(" is never closed with ")"'],
      ['x && (a || b', 5, 1, 'this "(" is never closed with ")"'],
      ['${{ }}', 0, 6, 'the condition is empty'],
      ['', 0, 1, 'the condition is empty'],
      ['   ', 0, 3, 'the condition is empty'],
      ['${{ a # }}', 6, 1, 'unexpected character "#"'],
    ];
    for (const [text, offset, length, message] of cases) {
      assert.deepEqual(errorOf(text), { offset, length, message }, text);
    }
  });
});
