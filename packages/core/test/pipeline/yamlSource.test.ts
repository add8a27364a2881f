import * as assert from 'node:assert/strict';
import { MAX_NESTING } from '../../src/pipeline/nesting';
import type { SourceMap, SourceNode } from '../../src/pipeline/sourceNode';
import { readYamlSource, readYamlWithLibrary } from '../../src/pipeline/yamlSource';

/** `[severity, code, line, column, endLine, endColumn, message]` of each diagnostic. */
function rows(text: string): unknown[][] {
  return readYamlWithLibrary(text, 'y.yaml').sink.diagnostics.map((d) => [
    d.severity,
    d.code,
    d.line,
    d.column,
    d.endLine,
    d.endColumn,
    d.message,
  ]);
}

/** The root mapping of `text`, which must read without diagnostics. */
function rootOf(text: string): SourceMap {
  const { root, sink } = readYamlWithLibrary(text, 'y.yaml');
  assert.deepEqual(sink.diagnostics, [], text);
  assert.equal(root?.kind, 'map', text);
  return root as SourceMap;
}

/** Key → [value, text, start, end] of each scalar entry of a mapping. */
function scalars(node: SourceNode | undefined): Record<string, unknown[]> {
  assert.equal(node?.kind, 'map');
  const out: Record<string, unknown[]> = {};
  for (const entry of (node as SourceMap).entries) {
    const value = entry.value;
    out[entry.key] =
      value.kind === 'scalar'
        ? [value.value, value.text, value.range.start, value.range.end]
        : [value.kind];
  }
  return out;
}

const SYNTAX_LINE = 'a: b: c\n';

describe('pipeline: reading YAML through the yaml library', () => {
  it('reports the first 20 syntax errors, then how many more follow', () => {
    const twenty = rows(SYNTAX_LINE.repeat(20));
    assert.equal(twenty.length, 20);
    assert.ok(twenty.every((row) => row[1] === 'yaml-syntax' && row[0] === 'error'));
    assert.match(String(twenty[19]?.[6]), /^YAML syntax error: /);
    const more = rows(SYNTAX_LINE.repeat(23));
    assert.equal(more.length, 21);
    assert.deepEqual(more[20], [
      'error',
      'yaml-syntax',
      21,
      4,
      21,
      5,
      '3 more YAML syntax errors follow; fix the ones above first.',
    ]);
  });

  it("gives the library's syntax error message alone, without a code frame", () => {
    assert.deepEqual(rows(SYNTAX_LINE), [
      [
        'error',
        'yaml-syntax',
        1,
        4,
        1,
        5,
        'YAML syntax error: Nested mappings are not allowed in compact mappings',
      ],
    ]);
  });

  it('says in plain words that a file holds more than one document', () => {
    assert.deepEqual(rows('a: 1\n---\nb: 2\n'), [
      [
        'error',
        'yaml-syntax',
        2,
        1,
        4,
        1,
        'YAML syntax error: the file holds more than one YAML document (a line with ---); a pipeline file holds exactly one.',
      ],
    ]);
  });

  it("passes the library's warnings on, and reads the value anyway", () => {
    const { root, sink } = readYamlWithLibrary('a: !foo x\n', 'y.yaml');
    assert.deepEqual(
      sink.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.message]),
      [['warning', 'yaml-warning', 1, 4, 'YAML: Unresolved tag: !foo']],
    );
    assert.deepEqual(scalars(root), { a: ['x', 'x', 8, 9] });
  });

  it('has no root for an empty file or one with only comments', () => {
    for (const text of ['', '# only a comment\n']) {
      const { root, sink } = readYamlWithLibrary(text, 'y.yaml');
      assert.equal(root, undefined);
      assert.deepEqual(sink.diagnostics, []);
    }
  });

  it('keeps numbers as written, and reads nothing and empty values as null', () => {
    assert.deepEqual(scalars(rootOf('a: 1.10\nb: 0x1F\nc: ~\nd:\nf: 1e3\ng: yes\nh: true\n')), {
      a: [1.1, '1.10', 3, 7],
      b: [31, '0x1F', 11, 15],
      c: [null, '', 19, 20],
      d: [null, '', 23, 23],
      f: [1000, '1e3', 27, 30],
      g: ['yes', 'yes', 34, 37],
      h: [true, 'true', 41, 45],
    });
  });

  it('refuses keys that are lists, mappings or empty', () => {
    const message = 'Keys must be plain names, not lists, mappings or empty.';
    assert.deepEqual(rows('[a]: 1\n~: 2\n? { a: 1 }\n: 3\nok: 4\n'), [
      ['error', 'bad-key', 1, 1, 1, 4, message],
      ['error', 'bad-key', 2, 1, 2, 2, message],
      ['error', 'bad-key', 3, 3, 3, 11, message],
    ]);
    const { root } = readYamlWithLibrary('[a]: 1\nok: 4\n', 'y.yaml');
    assert.deepEqual(scalars(root), { ok: [4, '4', 11, 12] });
  });

  it('resolves aliases to values placed at the alias, and reports broken ones', () => {
    const { root, sink } = readYamlWithLibrary('a: &x { p: 1 }\nb: *x\nc: *y\n', 'y.yaml');
    assert.deepEqual(
      sink.diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn, d.message]),
      [['yaml-syntax', 3, 4, 6, 'The alias *y refers to no anchor.']],
    );
    const b = (root as SourceMap).entries[1];
    const at = { start: 18, end: 20 };
    assert.deepEqual(b?.value, {
      kind: 'map',
      range: at,
      entries: [
        { key: 'p', keyRange: at, value: { kind: 'scalar', range: at, value: 1, text: '1' } },
      ],
    });
    const looped = readYamlWithLibrary('a: &x [1, *x]\n', 'y.yaml');
    assert.deepEqual(
      looped.sink.diagnostics.map((d) => [d.code, d.column, d.endColumn, d.message]),
      [['yaml-syntax', 11, 13, 'The alias *x contains itself.']],
    );
    const aliasedList = rootOf('a: &l [1, [2]]\nb: *l\n').entries[1]?.value;
    const here = { start: 18, end: 20 };
    assert.deepEqual(aliasedList, {
      kind: 'seq',
      range: here,
      items: [
        { kind: 'scalar', range: here, value: 1, text: '1' },
        { kind: 'seq', range: here, items: [{ kind: 'scalar', range: here, value: 2, text: '2' }] },
      ],
    });
  });

  it('merges << keys: keys written in the mapping win, then earlier merges', () => {
    const root = rootOf(
      'base: &b { p: 1, q: 2 }\nother: &o { q: 3, r: 4 }\nm:\n  <<: [*b, *o]\n  p: 9\n',
    );
    const merged = root.entries[2]?.value;
    assert.deepEqual(
      merged?.kind === 'map'
        ? merged.entries.map((e) => [
            e.key,
            e.value.kind === 'scalar' ? e.value.value : e.value.kind,
          ])
        : merged,
      [
        ['p', 9],
        ['q', 2],
        ['r', 4],
      ],
    );
    // One mapping merged on its own, not in a list.
    const single = rootOf('base: &b { p: 1 }\nm:\n  <<: *b\n  q: 2\n').entries[1]?.value;
    assert.deepEqual(single?.kind === 'map' ? single.entries.map((e) => e.key) : single, [
      'q',
      'p',
    ]);
    // A quoted "<<" is an ordinary key.
    assert.deepEqual(
      rootOf('m:\n  "<<": 5\n').entries[0]?.value.kind === 'map'
        ? scalars(rootOf('m:\n  "<<": 5\n').entries[0]?.value)
        : undefined,
      { '<<': [5, '5', 11, 12] },
    );
    assert.deepEqual(rows('m:\n  <<: 5\n  p: 1\n'), [
      [
        'error',
        'wrong-type',
        2,
        3,
        2,
        5,
        'A `<<` merge key needs a mapping (or a list of mappings) to merge.',
      ],
    ]);
  });

  it('counts values reached through aliases against a budget of 100,000', () => {
    const list = (count: number, item: string) => `[${Array(count).fill(item).join(', ')}]`;
    // Each alias of the 999-item list expands to 1,000 values: 100 of them are exactly the budget.
    const exact = `a: &a ${list(999, 'x')}\nb: ${list(100, '*a')}\n`;
    assert.deepEqual(rows(exact), []);
    const over = `${exact}s: &s v\nc: *s\n`;
    const tooLarge = readYamlWithLibrary(over, 'y.yaml').sink.diagnostics;
    assert.deepEqual(
      tooLarge.map((d) => [d.code, d.message]),
      [
        [
          'too-large',
          'Aliases here expand to more than 100000 values; a pipeline needs far fewer.',
        ],
      ],
    );
    // Past the budget, the error is reported once, however many aliases follow.
    const far = `a: &a ${list(999, 'x')}\nb: ${list(300, '*a')}\n`;
    assert.equal(readYamlWithLibrary(far, 'y.yaml').sink.diagnostics.length, 1);
  });

  it('stops at nesting deeper than the limit before parsing', () => {
    const deep = `a: ${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}\n`;
    const { root, sink } = readYamlSource(deep, 'y.yaml');
    assert.equal(root, undefined);
    assert.deepEqual(
      sink.diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn, d.message]),
      [
        [
          'too-deep',
          1,
          MAX_NESTING + 3,
          MAX_NESTING + 4,
          `Values are nested more than ${MAX_NESTING} levels deep here; a pipeline needs far fewer.`,
        ],
      ],
    );
  });

  it('reads plain files with the fast reader and the rest with the library, alike', () => {
    const plain = 'stages:\n  a:\n    run: x\n';
    const fast = readYamlSource(plain, 'y.yaml');
    assert.deepEqual(fast.root, readYamlWithLibrary(plain, 'y.yaml').root);
    assert.equal(fast.sink.file, 'y.yaml');
    assert.deepEqual(fast.sink.lines.linePos(plain.indexOf('run')), { line: 3, col: 5 });
    const commented = `${plain}# end\n`;
    assert.deepEqual(readYamlSource(commented, 'y.yaml').root, fast.root);
  });
});
