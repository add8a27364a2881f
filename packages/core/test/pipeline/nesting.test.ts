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

  it('counts up to 100 levels by default: the line and 99 brackets', () => {
    assert.equal(findExcessiveNesting('['.repeat(99)), undefined);
    assert.equal(findExcessiveNesting('['.repeat(100)), 99);
  });

  it('reads escapes in double quotes, comments only after a space, and closing brackets only when open', () => {
    assert.equal(findExcessiveNesting('a: "x\\"[[[[" [[', 2), 14);
    assert.equal(findExcessiveNesting('a: x#[[[', 2), 6);
    assert.equal(findExcessiveNesting('a: x #[[[', 2), undefined);
    assert.equal(findExcessiveNesting('#[[[[', 1), undefined);
    assert.equal(findExcessiveNesting('a: ]]] [[', 2), 8);
  });

  it('opens a quoted string only after an indicator, and never across a line end', () => {
    for (const line of [
      'a: [x, "[[[["]',
      'a: {x: "[[[["}',
      'a: ["[[[["]',
      "a: {'[[[[': 1}",
      '? "[[[["',
      '- "[[[["',
    ]) {
      assert.equal(findExcessiveNesting(line, 3), undefined, line);
    }
    assert.equal(findExcessiveNesting('a: x "[[[["', 3), 8);
    assert.equal(findExcessiveNesting('a: "[[\nb: [[[', 2), 11);
  });

  it('counts a dash only as an item, and neither blank nor comment lines', () => {
    assert.equal(findExcessiveNesting('-x', 1), undefined);
    assert.equal(findExcessiveNesting('-', 1), 0);
    assert.equal(findExcessiveNesting('-\tx', 1), 0);
    assert.equal(findExcessiveNesting('a:\n    # deep comment\n      \nb: 1\n', 1), undefined);
    assert.equal(findExcessiveNesting('a: 1\nb: 2\nc: 3', 1), undefined);
    assert.equal(findExcessiveNesting('a:\n  b: 1\n  c:\n    d: 1\n', 2), 15);
    assert.equal(findExcessiveNesting('a:\n\tb: 1', 1), undefined);
  });

  it('counts a dash only at the start of what is left of the line, and every line once', () => {
    assert.equal(findExcessiveNesting('a: x -', 1), undefined);
    assert.equal(findExcessiveNesting('-  - x', 2), 0);
    assert.equal(findExcessiveNesting('- -', 2), 0);
    assert.equal(findExcessiveNesting('- - x\n- y\n', 3), undefined);
    assert.equal(findExcessiveNesting('\n[', 2), undefined);
    assert.equal(findExcessiveNesting('\n[[[', 1), 1);
  });
});
