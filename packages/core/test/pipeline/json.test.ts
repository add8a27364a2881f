import * as assert from 'node:assert/strict';
import { parse } from './helpers';

const at = (text: string) => {
  const result = parse(text, 'p.pipeline.json');
  return result.diagnostics.map((d) => [d.code, d.line, d.column, d.message]);
};

describe('JSON pipeline files', () => {
  it('reports syntax errors with their position and a plain reason', () => {
    assert.deepEqual(at('{"stages": {"a": {"run": "x",}}}'), [
      [
        'json-syntax',
        1,
        30,
        "JSON syntax error: expected a property name in double quotes, found '}'",
      ],
    ]);
    assert.deepEqual(at('{\n  "stages": {"a": {"run": "x"}}\n'), [
      [
        'json-syntax',
        3,
        1,
        "JSON syntax error: expected ',' or '}' after a property value, found the end of the file",
      ],
    ]);
    assert.deepEqual(at('{\n  // comment\n}'), [
      [
        'json-syntax',
        2,
        3,
        "JSON syntax error: expected a property name in double quotes, found '/'",
      ],
    ]);
    assert.deepEqual(at("{'stages': 1}"), [
      [
        'json-syntax',
        1,
        2,
        "JSON syntax error: expected a property name in double quotes, found '''",
      ],
    ]);
    assert.deepEqual(at('{"a": "line\nbreak"}'), [
      [
        'json-syntax',
        1,
        12,
        'JSON syntax error: control characters (such as a line break) must be escaped inside strings',
      ],
    ]);
    assert.deepEqual(at('{"a": "\\q"}'), [
      ['json-syntax', 1, 8, 'JSON syntax error: unknown escape sequence \\q'],
    ]);
    assert.deepEqual(at('{"a": 01}'), [
      [
        'json-syntax',
        1,
        8,
        "JSON syntax error: expected ',' or '}' after a property value, found '1'",
      ],
    ]);
    assert.deepEqual(at('{} {}'), [
      ['json-syntax', 1, 4, 'JSON syntax error: unexpected text after the end of the JSON value'],
    ]);
    assert.deepEqual(at('  '), [
      ['json-syntax', 1, 3, 'JSON syntax error: the file is empty; expected a JSON object'],
    ]);
  });

  it('reports too-deep nesting instead of overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const [first] = at(deep);
    assert.equal(first?.[0], 'json-syntax');
    assert.match(String(first?.[3]), /nested more than 100 levels deep/);
  });

  it('decodes escapes and reports validation problems at the right place', () => {
    const text = '{\n  "stages": {\n    "a": {"run": "echo \\"\\u0041\\" ${{ inputs.q }}"}\n  }\n}';
    assert.deepEqual(
      parse(text, 'p.pipeline.json').diagnostics.map((d) => [d.code, d.line, d.column]),
      [['unknown-input', 3, 35]],
    );
    const ok = parse(text.replace('${{ inputs.q }}', 'done'), 'p.pipeline.json');
    assert.equal(ok.pipeline?.stages[0]?.run, 'echo "A" done');
  });

  it('reports duplicate keys, which JSON.parse would silently drop', () => {
    const result = parse('{"stages": {"a": {"run": "x"}, "a": {"run": "y"}}}', 'p.pipeline.json');
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line, d.column]),
      [['duplicate-id', 1, 32]],
    );
  });

  it('skips a byte order mark', () => {
    const result = parse('\uFEFF{"stages": {"a": {"run": "x"}}}', 'p.pipeline.json');
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.pipeline?.stages[0]?.run, 'x');
  });

  it('does not accept YAML-only syntax in a .json file', () => {
    const result = parse('stages:\n  a:\n    run: x\n', 'p.pipeline.json');
    assert.equal(result.diagnostics[0]?.code, 'json-syntax');
  });
});
