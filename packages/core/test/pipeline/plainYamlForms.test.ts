import * as assert from 'node:assert/strict';
import { readPlainYaml } from '../../src/pipeline/plainYaml';
import { readYamlWithLibrary } from '../../src/pipeline/yamlSource';

/**
 * The fast reader's contract, form by form: each plain form it promises to
 * read is read (a generated pipeline of thousands of stages must not fall
 * back to the slow library), with exactly the library's tree and ranges, and
 * each form it promises to leave to the library is left.
 */
const READ: readonly string[] = [
  'a: b',
  'a: b\n',
  'x: x\n',
  'ab: b\n',
  'run: echo hi there\n',
  'a: x.y/z-1  \n',
  '_k-9_: v\n',
  'a: 0\n',
  'a: 123456789012345\n',
  'a: true\nb: False\nc: NULL\nd: null\ne: TRUE\n',
  'a: "q: # x"\nb: ""\n',
  "a: 'single'\nb: ''\n",
  'a: "€ ü"\n',
  'a: "x y\u00a0z~"\n',
  'a: []\nb: [one]\nc: [data/*.txt, out/x?.csv, a/**/b*]  \n',
  'a:\n  b:\n    c: x\n  d: y\ne: z\n',
  'a:\n b: 1\n',
  'a:\n    b: 1\n    c:\n     d: [x, y]\nf: g',
  `${'k'.repeat(1000)}: v\n`,
];

/** Forms the fast reader leaves to the yaml library. */
const LEFT: readonly string[] = [
  '',
  'a: "x\ty"\n',
  'a: x\r\n',
  ' a: x\n',
  'a:\nb: x\n',
  'a:',
  'a: x\n  b: y\n',
  'a:\n    b: x\n  c: y\n',
  'a: 1234567890123456\n',
  'a: 01\n',
  'a: -1\n',
  'a: x  y\n',
  'a: x #y\n',
  'a: [a,  b]\n',
  'a: [a, b c]\n',
  'a: [a, true]\n',
  'a: [a, null]\n',
  'a: [a\n',
  'a: [*a]\n',
  'a: "x\\n"\n',
  "a: 'it''s'\n",
  'a: "x\u001fy"\n',
  'a: "x\u007fy"\n',
  'a: "x\u0085y"\n',
  'a: "x\u009fy"\n',
  "a: 'x\u2028y'\n",
  "a: 'x\u2029y'\n",
  'a: "\ufeffx"\n',
  'null: x\n',
  'True: x\n',
  `${'k'.repeat(1001)}: v\n`,
  'a: b\n\n',
  'a: b\n# c\n',
];

describe('pipeline: the plain forms the fast YAML reader reads and leaves', () => {
  it('reads each plain form, with exactly the tree and ranges of the yaml library', () => {
    for (const text of READ) {
      const fast = readPlainYaml(text);
      assert.notEqual(fast, undefined, `not read: ${JSON.stringify(text)}`);
      const library = readYamlWithLibrary(text, 'p.yaml');
      assert.deepEqual(library.sink.diagnostics, [], JSON.stringify(text));
      assert.deepEqual(fast, library.root, JSON.stringify(text));
    }
  });

  it('leaves every other form to the yaml library', () => {
    for (const text of LEFT) {
      assert.equal(readPlainYaml(text), undefined, `read: ${JSON.stringify(text)}`);
    }
  });
});
