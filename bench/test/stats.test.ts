import * as assert from 'node:assert/strict';
import { distribution, median, percentile, summarize } from '../src/stats';

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle values, as the median', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });

  it('interpolates percentiles between the nearest ranks', () => {
    const values = Array.from({ length: 101 }, (_, index) => 100 - index);
    assert.equal(percentile(values, 0), 0);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([10, 20], 25), 12.5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9.1);
  });

  it('does not reorder the caller’s sample', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    assert.deepEqual(values, [3, 1, 2]);
  });

  it('summarises repetitions as median, min, max and count', () => {
    assert.deepEqual(summarize([12, 10, 30, 11]), { median: 11.5, min: 10, max: 30, n: 4 });
  });

  it('gives the percentiles a box chart needs', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    const d = distribution(values);
    assert.equal(d.count, 100);
    assert.equal(d.min, 1);
    assert.equal(d.max, 100);
    assert.equal(d.p50, 50.5);
    assert.ok(d.p25 < d.p50 && d.p50 < d.p75 && d.p75 < d.p90 && d.p90 < d.p99);
  });

  it('refuses an empty sample, non-finite values and percentiles outside 0–100', () => {
    assert.throws(() => median([]), /empty sample/);
    assert.throws(() => summarize([1, Number.NaN]), /not a finite number/);
    assert.throws(() => percentile([1, 2], 101), /0–100/);
    assert.throws(() => percentile([1, 2], -1), /0–100/);
  });
});
