import * as assert from 'node:assert/strict';
import { readJsonSource } from '../../src/pipeline/jsonSource';

/** The one syntax error of `text`: line, column, end line, end column and message. */
function syntaxError(
  text: string,
): [number, number, number | undefined, number | undefined, string] {
  const read = readJsonSource(text, 'f.json');
  assert.equal(read.root, undefined, 'no tree when the JSON is broken');
  const [only, ...more] = read.sink.diagnostics;
  assert.ok(only !== undefined && more.length === 0, JSON.stringify(read.sink.diagnostics));
  assert.equal(only.code, 'json-syntax');
  assert.equal(only.file, 'f.json');
  return [only.line, only.column, only.endLine, only.endColumn, only.message];
}

describe('JSON source reader', () => {
  it('builds the tree with the range of every value and key, spaces between tokens skipped', () => {
    const read = readJsonSource(
      '{ "a" : [ 1 , -0.5e+2 , true,false ,null,{},[ ] , "x y" ] }',
      'f.json',
    );
    assert.deepEqual(read.sink.diagnostics, []);
    assert.deepEqual(read.root, {
      kind: 'map',
      range: { start: 0, end: 59 },
      entries: [
        {
          key: 'a',
          keyRange: { start: 2, end: 5 },
          value: {
            kind: 'seq',
            range: { start: 8, end: 57 },
            items: [
              { kind: 'scalar', range: { start: 10, end: 11 }, value: 1, text: '1' },
              { kind: 'scalar', range: { start: 14, end: 21 }, value: -50, text: '-0.5e+2' },
              { kind: 'scalar', range: { start: 24, end: 28 }, value: true, text: 'true' },
              { kind: 'scalar', range: { start: 29, end: 34 }, value: false, text: 'false' },
              { kind: 'scalar', range: { start: 36, end: 40 }, value: null, text: 'null' },
              { kind: 'map', range: { start: 41, end: 43 }, entries: [] },
              { kind: 'seq', range: { start: 44, end: 47 }, items: [] },
              { kind: 'scalar', range: { start: 50, end: 55 }, value: 'x y', text: 'x y' },
            ],
          },
        },
      ],
    });
    assert.deepEqual(readJsonSource('\t\r\n[ ]\n', 'f.json').root, {
      kind: 'seq',
      range: { start: 3, end: 6 },
      items: [],
    });
    assert.deepEqual(readJsonSource('{\t}', 'f.json').root, {
      kind: 'map',
      range: { start: 0, end: 3 },
      entries: [],
    });
  });

  it('decodes every escape JSON has', () => {
    const read = readJsonSource('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uABCD\\u0041"', 'f.json');
    assert.deepEqual(read.root, {
      kind: 'scalar',
      range: { start: 0, end: 36 },
      value: '"\\/\b\f\n\r\t\u00e9\uabcdA',
      text: '"\\/\b\f\n\r\t\u00e9\uabcdA',
    });
  });

  it('reads up to 100 levels of nesting and refuses the 101st where it opens', () => {
    const ok = readJsonSource(`${'['.repeat(100)}${']'.repeat(100)}`, 'f.json');
    assert.deepEqual(ok.sink.diagnostics, []);
    assert.equal(ok.root?.kind, 'seq');
    assert.deepEqual(syntaxError(`${'['.repeat(101)}${']'.repeat(101)}`), [
      1,
      101,
      1,
      102,
      'JSON syntax error: values are nested more than 100 levels deep',
    ]);
  });

  it('reports each syntax error at its character, one character long, with what was found', () => {
    const cases: [string, [number, number, number | undefined, number | undefined, string]][] = [
      ['{"a":', [1, 6, 1, 6, 'JSON syntax error: the file ends where a value was expected']],
      ['[1,\n', [2, 1, 2, 1, 'JSON syntax error: the file ends where a value was expected']],
      [
        '{"a" 1}',
        [1, 6, 1, 7, "JSON syntax error: expected ':' after the property name, found '1'"],
      ],
      [
        '{"a"',
        [
          1,
          5,
          1,
          5,
          "JSON syntax error: expected ':' after the property name, found the end of the file",
        ],
      ],
      [
        '[1 2]',
        [1, 4, 1, 5, "JSON syntax error: expected ',' or ']' after an array item, found '2'"],
      ],
      [
        '[1',
        [
          1,
          3,
          1,
          3,
          "JSON syntax error: expected ',' or ']' after an array item, found the end of the file",
        ],
      ],
      [
        '{"a":1 ]',
        [1, 8, 1, 9, "JSON syntax error: expected ',' or '}' after a property value, found ']'"],
      ],
      [
        '{"a":1,}',
        [1, 8, 1, 9, "JSON syntax error: expected a property name in double quotes, found '}'"],
      ],
      [
        '{',
        [
          1,
          2,
          1,
          2,
          'JSON syntax error: expected a property name in double quotes, found the end of the file',
        ],
      ],
      ['[-]', [1, 2, 1, 3, 'JSON syntax error: malformed number']],
      ['[-x]', [1, 2, 1, 3, 'JSON syntax error: malformed number']],
      ['[-x1]', [1, 2, 1, 3, 'JSON syntax error: malformed number']],
      ['["ab', [1, 2, 1, 3, 'JSON syntax error: this string is never closed (missing ")']],
      ['"\\u12G4"', [1, 2, 1, 3, 'JSON syntax error: \\u must be followed by four hex digits']],
      ['"\\u12"', [1, 2, 1, 3, 'JSON syntax error: \\u must be followed by four hex digits']],
      ['"ab\\x"', [1, 4, 1, 5, 'JSON syntax error: unknown escape sequence \\x']],
      [
        '"a\tb"',
        [
          1,
          3,
          1,
          4,
          'JSON syntax error: control characters (such as a line break) must be escaped inside strings',
        ],
      ],
      [
        'x',
        [
          1,
          1,
          1,
          2,
          "JSON syntax error: expected a value (object, array, string, number, true, false or null), found 'x'",
        ],
      ],
      [
        '[@',
        [
          1,
          2,
          1,
          3,
          "JSON syntax error: expected a value (object, array, string, number, true, false or null), found '@'",
        ],
      ],
      [
        '[tru]',
        [
          1,
          2,
          1,
          3,
          "JSON syntax error: expected a value (object, array, string, number, true, false or null), found 't'",
        ],
      ],
      ['\n', [2, 1, 2, 1, 'JSON syntax error: the file is empty; expected a JSON object']],
      ['', [1, 1, 1, 1, 'JSON syntax error: the file is empty; expected a JSON object']],
      ['[1] x', [1, 5, 1, 6, 'JSON syntax error: unexpected text after the end of the JSON value']],
    ];
    for (const [text, expected] of cases) assert.deepEqual(syntaxError(text), expected, text);
  });

  it('counts object levels like array levels, and reads fractions and exponents of several digits', () => {
    const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    assert.deepEqual(syntaxError(deep), [
      1,
      501,
      1,
      502,
      'JSON syntax error: values are nested more than 100 levels deep',
    ]);
    const read = readJsonSource('[1.25, 2e10]', 'f.json');
    assert.deepEqual(
      read.root?.kind === 'seq'
        ? read.root.items.map((i) => (i.kind === 'scalar' ? i.value : i))
        : read.root,
      [1.25, 2e10],
    );
  });

  it('reads numbers as JSON writes them, and the rest of a number as the next token', () => {
    const value = (text: string): unknown => {
      const read = readJsonSource(text, 'f.json');
      return read.root?.kind === 'scalar' ? [read.root.value, read.root.text] : read.root;
    };
    assert.deepEqual(value('0'), [0, '0']);
    assert.deepEqual(value('-12.5E-1'), [-1.25, '-12.5E-1']);
    assert.deepEqual(value('1e3'), [1000, '1e3']);
    assert.deepEqual(value(' 9 '), [9, '9']);
    assert.deepEqual(syntaxError('1.'), [
      1,
      2,
      1,
      3,
      'JSON syntax error: unexpected text after the end of the JSON value',
    ]);
    assert.deepEqual(syntaxError('1e'), [
      1,
      2,
      1,
      3,
      'JSON syntax error: unexpected text after the end of the JSON value',
    ]);
    assert.deepEqual(syntaxError('01'), [
      1,
      2,
      1,
      3,
      'JSON syntax error: unexpected text after the end of the JSON value',
    ]);
    assert.deepEqual(syntaxError('-01'), [
      1,
      3,
      1,
      4,
      'JSON syntax error: unexpected text after the end of the JSON value',
    ]);
  });
});
