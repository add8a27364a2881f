import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePipeline } from '../../src/pipeline/parsePipeline';
import { readPlainYaml } from '../../src/pipeline/plainYaml';
import { readYamlWithLibrary } from '../../src/pipeline/yamlSource';
import { yaml } from './helpers';

/**
 * Checks the fast reader against the yaml library on `text`: when the fast
 * reader accepts the text, both trees (with every range) and line positions
 * must be the same. Returns whether the fast reader accepted it.
 */
function agreesWithLibrary(text: string): boolean {
  const fast = readPlainYaml(text);
  if (fast === undefined) return false;
  const library = readYamlWithLibrary(text, 'test.pipeline.yaml');
  assert.deepEqual(library.sink.diagnostics, [], `the library found problems in:\n${text}`);
  assert.deepEqual(fast, library.root, `the trees differ for:\n${text}`);
  return true;
}

/** Values the fast reader should accept, and values it must leave to the library. */
const PLAIN_VALUES = [
  'true',
  'True',
  'FALSE',
  'null',
  'Null',
  '0',
  '10',
  'echo hi',
  'make -j4 all',
  'x.y/z-1',
  '"a: b # c"',
  '""',
  "'single'",
  '[a, b]',
  '[data/*.txt, out/x?.csv, a/**/b*]',
  '[]',
  'yes',
  'on',
  'off',
  '"€ ü"',
  'y',
  'a.inf',
];
const OTHER_VALUES = [
  '007',
  '1.5',
  '-3',
  '~',
  "'it''s'",
  '"esc\\n"',
  '[a,b]',
  '[a, true]',
  '[ a ]',
  '[1, 2]',
  '"x" # note',
  'a #b',
  '&anchor x',
  '*alias',
  '[*alias]',
  '[?x]',
  '[a, *b]',
  '[a*, ? b]',
  '[a/{b,c}]',
  '{ a: 1 }',
  '|',
  '>-',
  '!!str x',
  '-x',
  'a: b',
  '%x',
  '@x',
  '`x`',
  '.inf',
  '0x1F',
  '+1',
  '1e3',
];
const VALUES = fc.oneof(
  { arbitrary: fc.constantFrom(...PLAIN_VALUES), weight: 5 },
  { arbitrary: fc.constantFrom(...OTHER_VALUES), weight: 1 },
);
const KEYS = fc.oneof(
  { arbitrary: fc.constantFrom('run', 'needs', 'a', 'b_c', 'd-e', 'x1', 'on', 'yes'), weight: 8 },
  { arbitrary: fc.constantFrom('true', 'null', '<<', '1', '"q"', '? k'), weight: 1 },
);

/** A random nested mapping written in block style, with values from VALUES. */
const documents = fc
  .record({
    indent: fc.integer({ min: 1, max: 4 }),
    newlineAtEnd: fc.boolean(),
    trailing: fc.constantFrom('', ' ', '  '),
    tree: fc.letrec((tie) => ({
      map: fc.array(fc.tuple(KEYS, fc.oneof({ arbitrary: VALUES, weight: 3 }, tie('map'))), {
        minLength: 1,
        maxLength: 4,
      }),
    })).map,
  })
  .map(({ indent, newlineAtEnd, trailing, tree }) => {
    const lines: string[] = [];
    const write = (map: unknown, depth: number) => {
      for (const [key, value] of map as [string, unknown][]) {
        const pad = ' '.repeat(indent * depth);
        if (typeof value === 'string') lines.push(`${pad}${key}: ${value}${trailing}`);
        else {
          lines.push(`${pad}${key}:${trailing}`);
          write(value, depth + 1);
        }
      }
    };
    write(tree, 0);
    return lines.join('\n') + (newlineAtEnd ? '\n' : '');
  });

/** A small generated pipeline in the plain form. */
function generated(count: number): string {
  const lines = ['name: generated dag', 'concurrency: 8', 'stages:'];
  for (let i = 0; i < count; i++) {
    lines.push(`  s${i}:`, '    run: "true"');
    lines.push(`    deps: [data/s${i}/*.txt, data/s${i}/f?.csv]`);
    if (i > 0) lines.push(`    needs: [${i > 1 ? `s${i - 2}, ` : ''}s${i - 1}]`);
  }
  return yaml(...lines);
}

describe('pipeline: the fast reader of plain YAML', () => {
  it('reads a generated pipeline exactly as the yaml library does', () => {
    assert.equal(agreesWithLibrary(generated(50)), true);
  });

  it('agrees with the yaml library on every plain document it accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(documents, (text) => {
        if (agreesWithLibrary(text)) accepted += 1;
      }),
      { numRuns: 600 },
    );
    // The generator must exercise the fast reader, not only its refusals.
    assert.ok(accepted > 100, `only ${accepted} documents were accepted`);
  });

  it('agrees with the yaml library on every mutation of a plain pipeline it accepts', () => {
    const base = generated(4);
    const edits = fc.tuple(
      fc.nat({ max: base.length }),
      fc.nat({ max: 3 }),
      fc.constantFrom(
        ' ',
        '\n',
        ':',
        '#',
        '"',
        "'",
        '[',
        ']',
        ',',
        '-',
        'x',
        '1',
        '\t',
        '\r',
        '*',
        '?',
        '',
      ),
    );
    fc.assert(
      fc.property(fc.array(edits, { minLength: 1, maxLength: 3 }), (list) => {
        let text = base;
        for (const [at, cut, insert] of list)
          text = text.slice(0, at) + insert + text.slice(at + cut);
        agreesWithLibrary(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('leaves comments, blank lines, block lists and anchors to the yaml library', () => {
    for (const text of [
      yaml('# a comment', 'stages:', '  a:', '    run: x'),
      yaml('stages:', '', '  a:', '    run: x'),
      yaml('stages:', '  a:', '    run: x', '    needs:', '      - b'),
      yaml('stages:', '  a: &a', '    run: x'),
      yaml('stages:', '  a:', '    run: x # note'),
      yaml('stages:', `  ${'a'.repeat(1100)}:`, '    run: x'),
    ]) {
      assert.equal(readPlainYaml(text), undefined, text);
    }
  });

  it('points diagnostics of a plain file where the yaml library would', () => {
    const text = yaml(
      'stages:',
      '  a:',
      '    run: "true"',
      '  b:',
      '    run: "true"',
      '    needs: [a, c]',
      '    retry: 0',
      '  c-d:',
      '    run: x',
    );
    assert.notEqual(readPlainYaml(text), undefined);
    const fast = parsePipeline(text, 'plain.pipeline.yaml').diagnostics;
    // A comment at the end sends the same pipeline through the yaml library.
    const library = parsePipeline(`${text}# end\n`, 'plain.pipeline.yaml').diagnostics;
    assert.ok(fast.length >= 2, JSON.stringify(fast));
    assert.deepEqual(fast, library);
    const unknown = fast.find((d) => d.code === 'unknown-need');
    assert.deepEqual(
      unknown && [unknown.line, unknown.column, unknown.endLine, unknown.endColumn],
      [6, 16, 6, 17],
    );
  });
});
