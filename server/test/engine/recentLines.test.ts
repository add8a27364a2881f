import * as assert from 'node:assert/strict';
import { RecentLines } from '../../src/engine/attempt/recentLines';

describe('RecentLines', () => {
  it('keeps only the last non-blank lines, oldest first, across single and joined records', () => {
    const recent = new RecentLines(3);
    recent.record('one\n');
    recent.record('\n   \n');
    recent.record('two\nthree\nfour\n');
    assert.deepEqual(
      recent.read((line) => line),
      ['two', 'three', 'four'],
    );
  });

  it('reads the pieces of a batch as the text they make together, decoding only the last lines', () => {
    const pieces = [
      'start ',
      Buffer.from('of a line\nold\n'),
      Buffer.from('é one\n\n  \n'),
      'two',
      Buffer.from(' and more\nthree\n'),
    ];
    const joined = new RecentLines(3);
    joined.record(pieces.map(String).join(''));
    const split = new RecentLines(3);
    split.record(pieces);
    assert.deepEqual(
      split.read((line) => line),
      ['é one', 'two and more', 'three'],
    );
    assert.deepEqual(
      split.read((line) => line),
      joined.read((line) => line),
    );
    const all = new RecentLines(10);
    all.record(pieces);
    assert.deepEqual(
      all.read((line) => line),
      ['start of a line', 'old', 'é one', 'two and more', 'three'],
    );
  });

  it('stores lines raw and masks them only when read', () => {
    const recent = new RecentLines(2);
    recent.record('token=hunter2\n');
    assert.deepEqual(
      recent.read((line) => line.replaceAll('hunter2', '***')),
      ['token=***'],
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new RecentLines(0), /capacity must be a positive integer, got 0/);
  });
});
