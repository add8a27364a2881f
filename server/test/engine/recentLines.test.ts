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
