import * as assert from 'node:assert/strict';
import { findExcessiveNesting } from '../../src/pipeline/nesting';
import { parse } from './helpers';

describe('nesting pre-scan', () => {
  it('passes ordinary pipelines', () => {
    const text = [
      'stages:',
      '  a:',
      '    run: "[[[[ {{{{"  # [[[[',
      "    cwd: it's [x] {y}",
      '    env: { A: \'{{{\', B: "[[[" }',
      '    needs: [b]',
      '  b: { run: x }',
    ].join('\n');
    assert.equal(findExcessiveNesting(text, 4), undefined);
  });

  it('finds deep flow brackets, block indentation and dash chains', () => {
    // The line itself is one level, so only two brackets fit under a limit of three.
    assert.equal(findExcessiveNesting('a: [[[[x]]]]', 3), 5);
    assert.equal(findExcessiveNesting('a:\n b:\n  c:\n   d: 1\n', 3), 12);
    assert.equal(findExcessiveNesting('- - - - x\n', 3), 0);
    assert.equal(findExcessiveNesting('- [[x]]\n', 2), 2);
  });

  it('ignores brackets in quoted strings and comments but not after a plain apostrophe', () => {
    assert.equal(findExcessiveNesting('a: "[[[[[" # [[[[[\n', 1), undefined);
    assert.equal(findExcessiveNesting("a: '[[[['\n", 1), undefined);
    assert.equal(findExcessiveNesting("a: it's [[[[\n", 2), 9);
  });

  it('makes the parser refuse absurd nesting before the YAML library recurses on it', () => {
    for (const text of ['['.repeat(5_000), '- '.repeat(5_000), `a: ${'{b: '.repeat(5_000)}`]) {
      const result = parse(text);
      assert.deepEqual(
        result.diagnostics.map((d) => d.code),
        ['too-deep'],
      );
    }
  });
});
